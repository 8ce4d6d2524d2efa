package io.laurel.leaderboard.board;

import io.laurel.leaderboard.ranking.BoardIndex;
import io.laurel.leaderboard.ranking.Ranking;

import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.events.json.IsoInstants;
import io.laurel.events.time.CalendarPeriod;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Scope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-N pages, a member's rank, and the entries around a member, of one period of a leaderboard (the
 * current one, or the one containing {@code at}), ranked by the board's tie strategy, from the live
 * leaderboard generation. On a board grouped by group, {@code user_id} is the group.
 */
@RestController
public class LeaderboardController {
    private final BoardIndexes indexes;
    private final ProjectionManager projections;
    private final CatalogView catalog;
    private final BoardChanges changes;
    private final io.laurel.runtime.users.DisplayNames names;

    public LeaderboardController(BoardIndexes indexes, ProjectionManager projections, CatalogView catalog,
                                 BoardChanges changes, io.laurel.runtime.users.DisplayNames names) {
        this.names = names;
        this.indexes = indexes;
        this.projections = projections;
        this.catalog = catalog;
        this.changes = changes;
    }

    /**
     * Server-Sent Events: first a {@code snapshot} (the top {@code limit} of the current period, and the
     * watched user's rank with {@code user_id}), then an {@code update} of the same whenever the period's
     * scores change (at most twice a second), and a comment every 15 s to keep the connection open. A new
     * period starts a new snapshot.
     */
    @GetMapping(path = "/v1/leaderboards/{id}/stream", produces = org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE)
    public reactor.core.publisher.Flux<org.springframework.http.codec.ServerSentEvent<io.laurel.api.LeaderboardPage>> stream(
            @PathVariable String id, @RequestParam(defaultValue = "10") int limit,
            @RequestParam(name = "user_id", required = false) String userId, ServerWebExchange exchange) {
        View first = view(exchange, id, null, "desc");
        if (limit < 1 || limit > 100) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 100 on a stream");
        }
        String tenant = first.board().tenant();
        var updates = changes.changes()
                .filter(c -> c.tenant().equals(tenant) && c.board().equals(id))
                .sample(Duration.ofMillis(500))
                .concatMap(c -> {
                    View now = view(tenant, id, null, true);
                    return c.periodStart().equals(now.periodStart()) ? snapshot(now, limit, userId, "update")
                            : reactor.core.publisher.Mono.empty();
                });
        var heartbeats = reactor.core.publisher.Flux.interval(Duration.ofSeconds(15))
                .map(i -> org.springframework.http.codec.ServerSentEvent.<io.laurel.api.LeaderboardPage>builder().comment("keep-alive")
                        .build());
        return snapshot(first, limit, userId, "snapshot").flux().concatWith(updates.mergeWith(heartbeats));
    }

    private Mono<org.springframework.http.codec.ServerSentEvent<io.laurel.api.LeaderboardPage>> snapshot(View v, int limit,
                                                                                                 String userId, String name) {
        Mono<Map<String, Object>> watched = userId == null ? Mono.just(Map.of()) : index(v).map(index -> index
                .member(userId)
                .<Map<String, Object>>map(m -> Map.of("user_id", userId, "rank", index.rank(userId, true).orElseThrow(),
                        "score", m.score()))
                .orElse(Map.of("user_id", userId)));
        return Mono.zip(page(v, 0, limit), watched).map(t -> {
            io.laurel.api.LeaderboardPage p = t.getT1();
            io.laurel.api.LeaderboardPage data = userId == null ? p : new io.laurel.api.LeaderboardPage(p.leaderboardId(),
                    p.period(), p.periodStart(), p.tieStrategy(), p.total(), p.entries(), null, t.getT2());
            return org.springframework.http.codec.ServerSentEvent.<io.laurel.api.LeaderboardPage>builder().event(name).data(data)
                    .build();
        });
    }

    /** The board, its period, the direction of the ranking, and the live generation's schema. */
    private record View(LeaderboardDefinition board, Instant periodStart, boolean desc, String schema) {
    }

    private View view(ServerWebExchange exchange, String id, String at, String sort) {
        String tenant = Caller.of(exchange).require(Scope.LEADERBOARDS_READ);
        boolean desc = switch (sort) {
            case "desc" -> true;
            case "asc" -> false;
            default -> throw ProblemException.badRequest("INVALID_SORT", "sort must be 'desc' or 'asc'");
        };
        return view(tenant, id, at, desc);
    }

    private View view(String tenant, String id, String at, boolean desc) {
        LeaderboardDefinition board = catalog.leaderboard(tenant, id).orElseThrow(() -> ProblemException.notFound(
                "LEADERBOARD_NOT_FOUND", "No leaderboard '" + id + "' in this tenant."));
        return new View(board, periodStart(board, at), desc, projections.liveSchema(LeaderboardProjection.NAME));
    }

    /** The start of the board's period that contains {@code at} (a date in the board's zone, or an instant); now when absent. */
    static Instant periodStart(LeaderboardDefinition board, String at) {
        CalendarPeriod period = board.calendarPeriod();
        ZoneId zone = board.zone();
        if (at == null || at.isBlank()) {
            return period.start(Instant.now(), zone);
        }
        try {
            if (at.length() <= 10) {
                return period.startOfDate(LocalDate.parse(at), zone);
            }
            return period.start(OffsetDateTime.parse(at).toInstant(), zone);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("INVALID_AT", "at must be a date (2026-05-01) or a time"
                    + " (2026-05-01T10:00:00Z), not '" + at + "'");
        }
    }

    /** A page as served, and the index and version it was computed from. */
    private record CachedPage(BoardIndex index, long version, long madeAtNanos, byte[] json) {
        /** Served again while the ranking is unchanged, and for as long as display names are cached. */
        boolean fresh(BoardIndex now, long nowVersion) {
            return index == now && version == nowVersion
                    && System.nanoTime() - madeAtNanos < io.laurel.runtime.users.DisplayNames.TTL.toNanos();
        }
    }

    private record PageKey(View view, long offset, int limit) {
    }

    private static final int MAX_CACHED_PAGES = 4096;
    /** Pages (dashboards poll the same top-N) served again as long as their period's ranking has not changed. */
    private final Map<PageKey, CachedPage> pages = new java.util.concurrent.ConcurrentHashMap<>();

    @GetMapping(path = "/v1/leaderboards/{id}", produces = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "A page of the ranking",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = io.laurel.api.LeaderboardPage.class)))
    public Mono<byte[]> top(@PathVariable String id,
                                         @RequestParam(defaultValue = "0") long offset,
                                         @RequestParam(defaultValue = "10") int limit,
                                         @RequestParam(defaultValue = "desc") String sort,
                                         @RequestParam(required = false) String at,
                                         ServerWebExchange exchange) {
        View v = view(exchange, id, at, sort);
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000 and offset at least 0");
        }
        PageKey key = new PageKey(v, offset, limit);
        return index(v).flatMap(index -> {
            long version = index.version();
            CachedPage cached = pages.get(key);
            if (cached != null && cached.fresh(index, version)) {
                return Mono.just(cached.json());
            }
            long made = System.nanoTime();
            return page(v, offset, limit).map(body -> {
                byte[] json;
                try {
                    json = io.laurel.events.json.LaurelJson.mapper().writeValueAsBytes(body);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("a leaderboard page could not be written as JSON", e);
                }
                if (pages.size() >= MAX_CACHED_PAGES) {
                    pages.clear();
                }
                pages.put(key, new CachedPage(index, version, made, json));
                return json;
            });
        });
    }

    private Mono<io.laurel.api.LeaderboardPage> page(View v, long offset, int limit) {
        return index(v).flatMap(index -> page(v, index.page(offset, limit, v.desc()), null, null));
    }

    /** A page with the display names of its members (read off the event loop when not cached). */
    private Mono<io.laurel.api.LeaderboardPage> page(View v, BoardIndex.Page page, String userId,
                                                     Map<String, Object> user) {
        List<String> members = page.entries().stream().map(Ranking.Ranked::userId).toList();
        return names.namesAsync(v.board().tenant(), members).map(named ->
                new io.laurel.api.LeaderboardPage(v.board().id(), v.board().period(), v.periodStart(),
                        v.board().tieStrategy(), page.total(), entries(page.entries(), named), userId, user));
    }

    /** The in-memory ranking of the view's period (loaded from the live generation when first read). */
    private Mono<BoardIndex> index(View v) {
        return Mono.fromFuture(() -> indexes.index(v.schema(), v.board(), v.periodStart()), true);
    }

    @GetMapping("/v1/leaderboards/{id}/users/{userId}")
    public Mono<io.laurel.api.Rank> rank(@PathVariable String id, @PathVariable String userId,
                                          @RequestParam(defaultValue = "desc") String sort,
                                          @RequestParam(required = false) String at,
                                          ServerWebExchange exchange) {
        View v = view(exchange, id, at, sort);
        return index(v).map(index -> {
            BoardIndex.Member m = member(v, index, userId);
            return new io.laurel.api.Rank(id, v.periodStart(), userId, index.rank(userId, v.desc()).orElseThrow(),
                    m.score(), index.size());
        });
    }

    @GetMapping("/v1/leaderboards/{id}/around/{userId}")
    public Mono<io.laurel.api.LeaderboardPage> around(@PathVariable String id, @PathVariable String userId,
                                            @RequestParam(defaultValue = "5") int radius,
                                            @RequestParam(required = false) String at,
                                            ServerWebExchange exchange) {
        View v = view(exchange, id, at, "desc");
        if (radius < 0 || radius > 100) {
            throw ProblemException.badRequest("INVALID_RADIUS", "radius must be 0 to 100");
        }
        return index(v).flatMap(index -> {
            member(v, index, userId);
            long position = index.position(userId, true).orElseThrow();
            // the members within radius places of this one: fewer at the top and the bottom
            long offset = Math.max(0, position - radius);
            return page(v, index.page(offset, (int) (position + radius - offset + 1), true), userId, null);
        });
    }

    private static BoardIndex.Member member(View v, BoardIndex index, String userId) {
        return index.member(userId).orElseThrow(() -> ProblemException.notFound("USER_NOT_RANKED", "User '" + userId
                + "' has no score on leaderboard '" + v.board().id() + "' in the period starting "
                + IsoInstants.format(v.periodStart()) + "."));
    }

    private static List<io.laurel.api.LeaderboardEntry> entries(List<Ranking.Ranked> ranked, Map<String, String> named) {
        List<io.laurel.api.LeaderboardEntry> list = new ArrayList<>(ranked.size());
        for (Ranking.Ranked r : ranked) {
            list.add(new io.laurel.api.LeaderboardEntry(r.rank(), r.userId(), r.score(), named.get(r.userId())));
        }
        return list;
    }
}
