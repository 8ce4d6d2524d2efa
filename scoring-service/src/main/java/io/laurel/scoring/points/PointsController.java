package io.laurel.scoring.points;

import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.events.json.IsoInstants;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Caller;
import io.laurel.scoring.redemption.WalletView;
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
    private final WalletView wallet;

    public PointsController(DatabaseClient db, ProjectionManager projections, WalletView wallet) {
        this.db = db;
        this.projections = projections;
        this.wallet = wallet;
    }

    /**
     * Balances per currency: earned from the journal; redeemed and held as the wallets decided them (the
     * journal's redeemed entries follow within moments, the larger of the two is shown); available = earned
     * - redeemed - held, what a redemption can spend now.
     */
    @GetMapping("/v1/users/{userId}/points")
    public Mono<io.laurel.api.Points> points(@PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_READ);
        String s = projections.liveSchema(ScoringProjection.NAME);
        Mono<Map<String, WalletView.Totals>> wallets = Blocking.call(() -> wallet.totals(tenant, userId));
        Mono<Map<String, long[]>> journal = db.sql("SELECT currency, earned, redeemed FROM " + s + ".balances"
                        + " WHERE tenant = $1 AND user_id = $2")
                .bind(0, tenant).bind(1, userId)
                .map(row -> Map.entry(row.get(0, String.class), new long[]{row.get(1, Long.class), row.get(2, Long.class)}))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return Mono.zip(journal, wallets).map(both -> {
            java.util.SortedSet<String> currencies = new java.util.TreeSet<>(both.getT1().keySet());
            currencies.addAll(both.getT2().keySet());
            if (currencies.isEmpty()) {
                currencies.add("points");
            }
            List<io.laurel.api.Balance> balances = new java.util.ArrayList<>();
            for (String currency : currencies) {
                long[] j = both.getT1().getOrDefault(currency, new long[2]);
                WalletView.Totals w = both.getT2().getOrDefault(currency, WalletView.Totals.NONE);
                long redeemed = Math.max(j[1], w.redeemed());
                balances.add(new io.laurel.api.Balance(currency, j[0], redeemed, j[0] - redeemed - w.held(), w.held()));
            }
            return new io.laurel.api.Points(userId, balances);
        });
    }

    @GetMapping("/v1/users/{userId}/ledger")
    public Mono<io.laurel.api.Ledger> ledger(@PathVariable String userId,
                                            @RequestParam(defaultValue = "100") int limit,
                                            @RequestParam(defaultValue = "0") int offset,
                                            ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_READ);
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000 and offset at least 0");
        }
        String s = projections.liveSchema(ScoringProjection.NAME);
        return db.sql("SELECT entry_id, event_id, event_type, rule_id, rule_version, points, currency, kind, occurred_at,"
                        + " recorded_at, description, reverses, recalculation"
                        + " FROM " + s + ".ledger WHERE tenant = $1 AND user_id = $2"
                        + " ORDER BY occurred_at DESC, entry_id LIMIT $3 OFFSET $4")
                .bind(0, tenant).bind(1, userId).bind(2, limit).bind(3, offset)
                .map(row -> {
                    // LedgerEntry keeps the contract's fields even when null (a manual entry has no rule)
                    OffsetDateTime at = row.get("occurred_at", OffsetDateTime.class);
                    OffsetDateTime recorded = row.get("recorded_at", OffsetDateTime.class);
                    return new io.laurel.api.LedgerEntry(row.get("entry_id", String.class),
                            row.get("event_id", String.class), row.get("event_type", String.class),
                            row.get("rule_id", String.class), row.get("rule_version", Integer.class),
                            row.get("points", Long.class), row.get("currency", String.class), row.get("kind", String.class),
                            at == null ? null : at.toInstant(), recorded == null ? null : recorded.toInstant(),
                            row.get("description", String.class), row.get("recalculation", String.class),
                            row.get("reverses", String.class));
                })
                .all().collectList()
                .map(entries -> new io.laurel.api.Ledger(userId, entries));
    }

}
