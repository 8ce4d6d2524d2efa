package io.laurel.scoring.scoreevent;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.Ids;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.RequestBinder;
import io.laurel.api.ScoreEventRequest;
import io.laurel.api.ScoreEventUpdate;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.Scope;
import io.laurel.scoring.points.ScoringProjection;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Discourse-compatible score events: points given or taken by hand, with a date and a description. Each
 * create or change is an event of the system type {@code score.manual} on {@code laurel.events}, so it is
 * in the log, the journal and every replay like any other event; the list is the scoring projection's.
 */
@RestController
public class ScoreEventController {
    private static final long MAX_BODY = 16 * 1024;
    private static final int MAX_LIST = 100;
    private static final long VISIBLE_WITHIN_MS = 10_000;

    private final io.laurel.runtime.events.SystemEvents systemEvents;
    private final CatalogView catalog;
    private final ProjectionManager projections;
    private final JdbcTemplate jdbc;

    public ScoreEventController(io.laurel.runtime.events.SystemEvents systemEvents, CatalogView catalog,
                                ProjectionManager projections, DataSource dataSource) {
        this.systemEvents = systemEvents;
        this.catalog = catalog;
        this.projections = projections;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @GetMapping("/v1/score-events")
    public Mono<io.laurel.api.ScoreEvents> list(@RequestParam(required = false) String id,
                                          @RequestParam(name = "user_id", required = false) String userId,
                                          @RequestParam(required = false) String date,
                                          @RequestParam(defaultValue = "100") int limit,
                                          ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_READ);
        if (limit < 1 || limit > MAX_LIST) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to " + MAX_LIST);
        }
        LocalDate day = date == null ? null : parseDate(date, "date");
        return Blocking.call(() -> {
            StringBuilder sql = new StringBuilder("SELECT * FROM " + schema() + ".score_events WHERE tenant = ?");
            List<Object> args = new ArrayList<>(List.of(tenant));
            if (id != null) {
                sql.append(" AND id = ?");
                args.add(id);
            }
            if (userId != null) {
                sql.append(" AND user_id = ?");
                args.add(userId);
            }
            if (day != null) {
                sql.append(" AND date = ?");
                args.add(java.sql.Date.valueOf(day));
            }
            sql.append(" ORDER BY created_at DESC, id LIMIT ?");
            args.add(limit);
            List<io.laurel.api.ScoreEvent> events = jdbc.query(sql.toString(), (rs, n) -> view(rs), args.toArray());
            return new io.laurel.api.ScoreEvents(events);
        });
    }

    @PostMapping("/v1/score-events")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ScoreEventRequest.class)))
    public Mono<ResponseEntity<io.laurel.api.ScoreEvent>> create(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        String tenant = caller.require(Scope.POINTS_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, ScoreEventRequest.class, "score event").flatMap(req -> {
            String userId = req.userId();
            Long points = req.points();
            String description = req.description();
            String key = req.idempotenceKey();
            ZoneId zone = catalog.tenant(tenant).map(TenantDefinition::zone).orElse(ZoneOffset.UTC);
            LocalDate day = req.date() == null ? LocalDate.now(zone) : ScoreEventRequest.day(req.date());
            ObjectNode data = JsonNodeFactory.instance.objectNode().put("points", points).put("date", day.toString());
            if (description != null) {
                data.put("description", description);
            }
            String id = key == null ? Ids.timeOrdered().toString() : Ids.derived(tenant, "score-event", key).toString();
            Instant now = Instant.now();
            Instant occurred = day.atStartOfDay(zone).toInstant();
            return Blocking.call(() -> {
                Optional<io.laurel.api.ScoreEvent> earlier = find(tenant, id);
                if (earlier.isPresent()) {
                    return ResponseEntity.ok(earlier.get());
                }
                append(systemEvents.event(id, tenant, SystemTypes.SCORE_MANUAL, userId, data,
                        occurred.isAfter(now) ? now : occurred, key));
                io.laurel.api.ScoreEvent created = awaitVisible(tenant, id, m -> true).orElseGet(() ->
                        new io.laurel.api.ScoreEvent(id, userId, day.toString(), points, description, now, null));
                return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.LOCATION, "/v1/score-events?id=" + id)
                        .body(created);
            });
        });
    }

    @PutMapping("/v1/score-events")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ScoreEventUpdate.class)))
    public Mono<io.laurel.api.ScoreEvent> update(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_WRITE);
        return RequestBinder.bound(exchange, MAX_BODY, ScoreEventUpdate.class, "score event change").flatMap(bound -> {
            JsonNode body = bound.body();
            String id = bound.value().id();
            Long points = bound.value().points();
            String description = bound.value().description();
            if (points == null && !bound.has("description")) {
                throw ProblemException.invalid("Invalid score event change.",
                        List.of(new FieldError("", "give points, description or both")));
            }
            return Blocking.call(() -> {
                io.laurel.api.ScoreEvent current = find(tenant, id).orElseThrow(() -> ProblemException.notFound(
                        "SCORE_EVENT_NOT_FOUND", "No score event " + id + "."));
                List<FieldError> immutable = new ArrayList<>();
                JsonNode u = body.get("user_id");
                if (u != null && !u.isNull() && !u.asText().equals(current.userId())) {
                    immutable.add(new FieldError("/user_id", "cannot change"));
                }
                JsonNode d = body.get("date");
                if (d != null && !d.isNull() && !d.asText().equals(current.date())) {
                    immutable.add(new FieldError("/date", "cannot change"));
                }
                if (!immutable.isEmpty()) {
                    throw ProblemException.invalid("A score event's user_id and date cannot change.", immutable);
                }
                ObjectNode data = JsonNodeFactory.instance.objectNode().put("score_event_id", id);
                if (points != null) {
                    data.put("points", points);
                }
                if (body.has("description")) {
                    data.put("description", description);
                }
                Instant now = Instant.now();
                Instant before = current.updatedAt();
                append(systemEvents.event(Ids.timeOrdered().toString(), tenant, SystemTypes.SCORE_MANUAL,
                        current.userId(), data, now, null));
                return awaitVisible(tenant, id, m -> m.updatedAt().isAfter(before)).orElseThrow(() ->
                        new ProblemException(HttpStatus.ACCEPTED, "SCORE_EVENT_PENDING", "Change pending",
                                "The change is in the event log and will be applied shortly."));
            });
        });
    }

    private void append(EventAccepted event) {
        systemEvents.append(event, "score event");
    }

    private Optional<io.laurel.api.ScoreEvent> awaitVisible(String tenant, String id, Predicate<io.laurel.api.ScoreEvent> done)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + VISIBLE_WITHIN_MS;
        while (true) {
            Optional<io.laurel.api.ScoreEvent> found = find(tenant, id).filter(done);
            if (found.isPresent() || System.currentTimeMillis() > deadline) {
                return found;
            }
            Thread.sleep(20);
        }
    }

    private Optional<io.laurel.api.ScoreEvent> find(String tenant, String id) {
        return jdbc.query("SELECT * FROM " + schema() + ".score_events WHERE tenant = ? AND id = ?", (rs, n) -> view(rs),
                tenant, id).stream().findFirst();
    }

    private String schema() {
        return projections.liveSchema(ScoringProjection.NAME);
    }

    private static io.laurel.api.ScoreEvent view(ResultSet rs) throws SQLException {
        return new io.laurel.api.ScoreEvent(rs.getString("id"), rs.getString("user_id"),
                rs.getDate("date").toLocalDate().toString(), rs.getLong("points"), rs.getString("description"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static LocalDate parseDate(String text, String field) {
        try {
            return text.length() > 10 ? Instant.parse(text).atZone(ZoneOffset.UTC).toLocalDate() : LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "INVALID_DATE", "Invalid date",
                    "'" + text + "' is not a date such as 2026-05-01.", List.of(new FieldError("/" + field, "not a date")));
        }
    }
}
