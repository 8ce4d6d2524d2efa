package io.laurel.badge.notification;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.IsoInstants;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Scope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** A user's notifications (one per award), newest first, with their read state; marking one read. */
@RestController
public class NotificationController {
    private final DatabaseClient db;
    private final ProjectionManager projections;
    private final NotificationReads reads;

    public NotificationController(DatabaseClient db, ProjectionManager projections, NotificationReads reads) {
        this.db = db;
        this.projections = projections;
        this.reads = reads;
    }

    @GetMapping("/v1/notifications")
    public Mono<io.laurel.api.Notifications> list(@RequestParam(name = "user_id", required = false) String userId,
                                          @RequestParam(defaultValue = "false") boolean unread,
                                          @RequestParam(defaultValue = "0") int offset,
                                          @RequestParam(defaultValue = "100") int limit,
                                          ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        if (userId == null || userId.isBlank()) {
            throw ProblemException.badRequest("USER_ID_REQUIRED", "user_id is required: whose notifications to list");
        }
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000 and offset at least 0");
        }
        String s = projections.liveSchema(NotificationProjection.NAME);
        String from = " FROM " + s + ".notifications n LEFT JOIN " + NotificationReads.TABLE + " r ON r.tenant = n.tenant"
                + " AND r.notification_id = n.id WHERE n.tenant = $1 AND n.user_id = $2";
        Mono<Long> unreadCount = db.sql("SELECT count(*)" + from + " AND r.notification_id IS NULL")
                .bind(0, tenant).bind(1, userId).map(row -> row.get(0, Long.class)).one();
        var page = db.sql("SELECT n.id, n.kind, n.title, n.detail, n.created_at, r.read_at" + from
                        + (unread ? " AND r.notification_id IS NULL" : "") + " ORDER BY n.created_at DESC, n.id"
                        + " LIMIT $3 OFFSET $4")
                .bind(0, tenant).bind(1, userId).bind(2, limit).bind(3, offset)
                .map(row -> {
                    OffsetDateTime readAt = row.get(5, OffsetDateTime.class);
                    return new io.laurel.api.Notification(row.get(0, String.class), row.get(1, String.class),
                            row.get(2, String.class), json(row.get(3, String.class)),
                            row.get(4, OffsetDateTime.class).toInstant(), readAt != null,
                            readAt == null ? null : readAt.toInstant());
                })
                .all().collectList();
        return Mono.zip(page, unreadCount).map(t -> new io.laurel.api.Notifications(userId, t.getT2(), t.getT1()));
    }

    /** Marks a notification read: 200 {@code {"id","read":true}}; 404 for a notification not in this tenant. */
    @PostMapping("/v1/notifications/{id}/read")
    public Mono<io.laurel.api.NotificationRead> markRead(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_WRITE);
        String s = projections.liveSchema(NotificationProjection.NAME);
        return db.sql("SELECT count(*) FROM " + s + ".notifications WHERE tenant = $1 AND id = $2")
                .bind(0, tenant).bind(1, id).map(row -> row.get(0, Long.class)).one()
                .flatMap(n -> {
                    if (n == 0) {
                        return Mono.error(ProblemException.notFound("NOTIFICATION_NOT_FOUND",
                                "No notification '" + id + "' in this tenant."));
                    }
                    return Blocking.call(() -> reads.markRead(tenant, id));
                })
                .map(changed -> new io.laurel.api.NotificationRead(id, true));
    }

    private static JsonNode json(String text) {
        try {
            return LaurelJson.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored notification is not JSON", e);
        }
    }
}
