package io.laurel.leaderboard.board;

import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Scope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Top-N pages, a user's rank, and the entries around a user, from the live leaderboard generation. */
@RestController
public class LeaderboardController {
    /** An all-time leaderboard has no period; its start is the epoch, so clients always get a date. */
    static final String PERIOD_START_ALL_TIME = "1970-01-01T00:00:00Z";
    private final DatabaseClient db;
    private final ProjectionManager projections;
    private final CatalogView catalog;

    public LeaderboardController(DatabaseClient db, ProjectionManager projections, CatalogView catalog) {
        this.db = db;
        this.projections = projections;
        this.catalog = catalog;
    }

    @GetMapping("/v1/leaderboards/{id}")
    public Mono<Map<String, Object>> top(@PathVariable String id,
                                         @RequestParam(defaultValue = "0") long offset,
                                         @RequestParam(defaultValue = "10") int limit,
                                         @RequestParam(defaultValue = "desc") String sort,
                                         ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.LEADERBOARDS_READ);
        board(tenant, id);
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000 and offset at least 0");
        }
        boolean desc = direction(sort);
        String s = schema();
        String order = desc ? "score DESC, user_id" : "score ASC, user_id";
        Mono<Long> total = total(s, tenant, id);
        Mono<List<Ranking.Scored>> page = db.sql("SELECT user_id, score FROM " + s + ".scores WHERE tenant = $1 AND board = $2"
                        + " ORDER BY " + order + " LIMIT $3 OFFSET $4")
                .bind(0, tenant).bind(1, id).bind(2, limit).bind(3, offset)
                .map(row -> new Ranking.Scored(row.get(0, String.class), row.get(1, Long.class)))
                .all().collectList();
        return Mono.zip(total, page).flatMap(t -> {
            List<Ranking.Scored> rows = t.getT2();
            Mono<Long> firstRank = rows.isEmpty() ? Mono.just(offset + 1) : ahead(s, tenant, id, rows.get(0).score(), desc)
                    .map(a -> a + 1);
            return firstRank.map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("leaderboard_id", id);
                m.put("period_start", PERIOD_START_ALL_TIME);
                m.put("total", t.getT1());
                m.put("entries", entries(Ranking.rank(rows, r, offset + 1)));
                return m;
            });
        });
    }

    @GetMapping("/v1/leaderboards/{id}/users/{userId}")
    public Mono<Map<String, Object>> rank(@PathVariable String id, @PathVariable String userId,
                                          @RequestParam(defaultValue = "desc") String sort,
                                          ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.LEADERBOARDS_READ);
        board(tenant, id);
        boolean desc = direction(sort);
        String s = schema();
        return score(s, tenant, id, userId)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("USER_NOT_RANKED",
                        "User '" + userId + "' has no score on leaderboard '" + id + "'.")))
                .flatMap(score -> Mono.zip(ahead(s, tenant, id, score, desc), total(s, tenant, id)).map(t -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("leaderboard_id", id);
                    m.put("user_id", userId);
                    m.put("rank", t.getT1() + 1);
                    m.put("score", score);
                    m.put("total", t.getT2());
                    return m;
                }));
    }

    @GetMapping("/v1/leaderboards/{id}/around/{userId}")
    public Mono<Map<String, Object>> around(@PathVariable String id, @PathVariable String userId,
                                            @RequestParam(defaultValue = "5") int radius,
                                            ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.LEADERBOARDS_READ);
        board(tenant, id);
        if (radius < 0 || radius > 100) {
            throw ProblemException.badRequest("INVALID_RADIUS", "radius must be 0 to 100");
        }
        String s = schema();
        return score(s, tenant, id, userId)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("USER_NOT_RANKED",
                        "User '" + userId + "' has no score on leaderboard '" + id + "'.")))
                // position of the user in (score desc, user_id) order, then the window around it
                .flatMap(score -> db.sql("SELECT count(*) FROM " + s + ".scores WHERE tenant = $1 AND board = $2"
                                + " AND (score > $3 OR (score = $3 AND user_id < $4))")
                        .bind(0, tenant).bind(1, id).bind(2, score).bind(3, userId)
                        .map(row -> row.get(0, Long.class)).one())
                .flatMap(position -> {
                    long offset = Math.max(0, position - radius);
                    return top(id, offset, radius * 2 + 1, "desc", exchange).map(page -> {
                        Map<String, Object> m = new LinkedHashMap<>(page);
                        m.put("user_id", userId);
                        return m;
                    });
                });
    }

    private LeaderboardDefinition board(String tenant, String id) {
        return catalog.leaderboard(tenant, id).orElseThrow(() -> ProblemException.notFound("LEADERBOARD_NOT_FOUND",
                "No leaderboard '" + id + "' in this tenant."));
    }

    private String schema() {
        return projections.liveSchema(LeaderboardProjection.NAME);
    }

    private static boolean direction(String sort) {
        return switch (sort) {
            case "desc" -> true;
            case "asc" -> false;
            default -> throw ProblemException.badRequest("INVALID_SORT", "sort must be 'desc' or 'asc'");
        };
    }

    private Mono<Long> total(String s, String tenant, String board) {
        return db.sql("SELECT count(*) FROM " + s + ".scores WHERE tenant = $1 AND board = $2")
                .bind(0, tenant).bind(1, board).map(row -> row.get(0, Long.class)).one();
    }

    private Mono<Long> score(String s, String tenant, String board, String userId) {
        return db.sql("SELECT score FROM " + s + ".scores WHERE tenant = $1 AND board = $2 AND user_id = $3")
                .bind(0, tenant).bind(1, board).bind(2, userId).map(row -> row.get(0, Long.class)).one();
    }

    /** How many users rank strictly ahead of {@code score}. */
    private Mono<Long> ahead(String s, String tenant, String board, long score, boolean desc) {
        return db.sql("SELECT count(*) FROM " + s + ".scores WHERE tenant = $1 AND board = $2 AND score "
                        + (desc ? ">" : "<") + " $3")
                .bind(0, tenant).bind(1, board).bind(2, score).map(row -> row.get(0, Long.class)).one();
    }

    private static List<Map<String, Object>> entries(List<Ranking.Ranked> ranked) {
        List<Map<String, Object>> list = new ArrayList<>(ranked.size());
        for (Ranking.Ranked r : ranked) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("rank", r.rank());
            e.put("user_id", r.userId());
            e.put("score", r.score());
            list.add(e);
        }
        return list;
    }
}
