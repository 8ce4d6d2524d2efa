package io.laurel.scoring.points;

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

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A user's balances per currency and their journal, from the live generation of the scoring projection. */
@RestController
public class PointsController {
    private final DatabaseClient db;
    private final ProjectionManager projections;

    public PointsController(DatabaseClient db, ProjectionManager projections) {
        this.db = db;
        this.projections = projections;
    }

    @GetMapping("/v1/users/{userId}/points")
    public Mono<Map<String, Object>> points(@PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_READ);
        String s = projections.liveSchema(ScoringProjection.NAME);
        return db.sql("SELECT currency, earned, redeemed FROM " + s + ".balances WHERE tenant = $1 AND user_id = $2"
                        + " ORDER BY currency")
                .bind(0, tenant).bind(1, userId)
                .map(row -> {
                    long earned = row.get(1, Long.class);
                    long redeemed = row.get(2, Long.class);
                    Map<String, Object> b = new LinkedHashMap<>();
                    b.put("currency", row.get(0, String.class));
                    b.put("earned", earned);
                    b.put("redeemed", redeemed);
                    b.put("available", earned - redeemed);
                    return b;
                })
                .all().collectList()
                .map(balances -> {
                    if (balances.isEmpty()) {
                        balances = List.of(zero());
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("user_id", userId);
                    m.put("balances", balances);
                    return m;
                });
    }

    @GetMapping("/v1/users/{userId}/ledger")
    public Mono<Map<String, Object>> ledger(@PathVariable String userId,
                                            @RequestParam(defaultValue = "100") int limit,
                                            @RequestParam(defaultValue = "0") int offset,
                                            ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_READ);
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000 and offset at least 0");
        }
        String s = projections.liveSchema(ScoringProjection.NAME);
        return db.sql("SELECT entry_id, event_id, rule_id, rule_version, points, currency, kind, occurred_at, description"
                        + " FROM " + s + ".ledger WHERE tenant = $1 AND user_id = $2"
                        + " ORDER BY occurred_at DESC, entry_id LIMIT $3 OFFSET $4")
                .bind(0, tenant).bind(1, userId).bind(2, limit).bind(3, offset)
                .map(row -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("entry_id", row.get("entry_id", String.class));
                    e.put("event_id", row.get("event_id", String.class));
                    e.put("rule_id", row.get("rule_id", String.class));
                    e.put("rule_version", row.get("rule_version", Integer.class));
                    e.put("points", row.get("points", Long.class));
                    e.put("currency", row.get("currency", String.class));
                    e.put("kind", row.get("kind", String.class));
                    OffsetDateTime at = row.get("occurred_at", OffsetDateTime.class);
                    e.put("occurred_at", at == null ? null : at.withOffsetSameInstant(ZoneOffset.UTC).toInstant());
                    e.put("description", row.get("description", String.class));
                    return e;
                })
                .all().collectList()
                .map(entries -> Map.of("user_id", userId, "entries", entries));
    }

    private static Map<String, Object> zero() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("currency", "points");
        b.put("earned", 0L);
        b.put("redeemed", 0L);
        b.put("available", 0L);
        return b;
    }
}
