package io.laurel.ingest.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Scope;
import io.r2dbc.postgresql.codec.Json;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/event-log}: the tenant's accepted events, newest first, filtered by user, type and time. */
@RestController
public class EventLogController {
    private final DatabaseClient db;
    private final ProjectionManager projections;

    public EventLogController(DatabaseClient db, ProjectionManager projections) {
        this.db = db;
        this.projections = projections;
    }

    @GetMapping("/v1/event-log")
    public Mono<io.laurel.api.EventLog> log(@RequestParam(name = "user_id", required = false) String userId,
                                         @RequestParam(name = "event_type", required = false) String eventType,
                                         @RequestParam(required = false) String from,
                                         @RequestParam(required = false) String to,
                                         @RequestParam(defaultValue = "100") int limit,
                                         @RequestParam(defaultValue = "0") int offset,
                                         ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.EVENTS_READ);
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000 and offset at least 0");
        }
        Instant fromAt = time("from", from);
        Instant toAt = time("to", to);
        StringBuilder sql = new StringBuilder("SELECT event_id, event_type, user_id, event_data, event_action, occurred_at,"
                + " received_at, idempotence_key FROM " + projections.liveSchema(EventLogProjection.NAME)
                + ".events WHERE tenant = $1");
        List<Object> args = new ArrayList<>();
        args.add(tenant);
        if (userId != null) {
            args.add(userId);
            sql.append(" AND user_id = $").append(args.size());
        }
        if (eventType != null) {
            args.add(eventType);
            sql.append(" AND event_type = $").append(args.size());
        }
        if (fromAt != null) {
            args.add(fromAt);
            sql.append(" AND occurred_at >= $").append(args.size());
        }
        if (toAt != null) {
            args.add(toAt);
            sql.append(" AND occurred_at < $").append(args.size());
        }
        args.add(limit);
        sql.append(" ORDER BY occurred_at DESC, event_id DESC LIMIT $").append(args.size());
        args.add(offset);
        sql.append(" OFFSET $").append(args.size());
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString());
        for (int i = 0; i < args.size(); i++) {
            spec = spec.bind(i, args.get(i));
        }
        return spec.map(row -> new io.laurel.api.LoggedEvent(row.get("event_id", String.class),
                row.get("event_type", String.class), row.get("user_id", String.class),
                json(row.get("event_data", Json.class)), row.get("event_action", String.class),
                row.get("idempotence_key", String.class), row.get("occurred_at", OffsetDateTime.class).toInstant(),
                row.get("received_at", OffsetDateTime.class).toInstant()))
                .all().collectList().map(io.laurel.api.EventLog::new);
    }

    private static JsonNode json(Json value) {
        try {
            return LaurelJson.mapper().readTree(value.asArray());
        } catch (Exception e) {
            throw new IllegalStateException("event_data of the event log is not JSON", e);
        }
    }

    private static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ProblemException(org.springframework.http.HttpStatus.BAD_REQUEST, "INVALID_PARAMETER",
                        "Invalid parameter", "'" + name + "' must be an ISO-8601 date or date-time: " + value);
            }
        }
    }
}
