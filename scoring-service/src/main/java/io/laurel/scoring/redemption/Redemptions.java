package io.laurel.scoring.redemption;

import io.laurel.runtime.axon.CommandFailures;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.ProblemException;
import io.laurel.scoring.points.ScoringProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;

/** Sends wallet commands (blocking), retrying write conflicts, and maps refusals to problems. */
@Component
public class Redemptions {
    static final int ATTEMPTS = 5;
    private final CommandGateway gateway;
    private final JdbcTemplate jdbc;
    private final ProjectionManager projections;

    public Redemptions(CommandGateway gateway, DataSource dataSource, ProjectionManager projections) {
        this.gateway = gateway;
        this.jdbc = new JdbcTemplate(dataSource);
        this.projections = projections;
    }

    /** What the user has earned in {@code currency}, per the points journal. */
    public long earned(String tenant, String userId, String currency) {
        List<Long> earned = jdbc.queryForList("SELECT earned FROM " + projections.liveSchema(ScoringProjection.NAME)
                + ".balances WHERE tenant = ? AND user_id = ? AND currency = ?", Long.class, tenant, userId, currency);
        return earned.isEmpty() ? 0 : earned.get(0);
    }

    public WalletMessages.Outcome redeem(String tenant, String userId, String currency, String redemptionId, long points,
                                         String description, Instant holdUntil) {
        return send(() -> new WalletMessages.Redeem(WalletMessages.walletId(tenant, userId, currency), tenant, userId,
                currency, redemptionId, points, description, earned(tenant, userId, currency), holdUntil, Instant.now()));
    }

    public WalletMessages.Outcome confirm(WalletView.Redemption r) {
        return send(() -> new WalletMessages.Confirm(WalletMessages.walletId(r.tenant(), r.userId(), r.currency()), r.id(),
                Instant.now()));
    }

    public WalletMessages.Outcome release(WalletView.Redemption r, String reason) {
        return send(() -> new WalletMessages.Release(WalletMessages.walletId(r.tenant(), r.userId(), r.currency()), r.id(),
                reason, Instant.now()));
    }

    private WalletMessages.Outcome send(java.util.function.Supplier<Object> command) {
        for (int attempt = 1; ; attempt++) {
            try {
                return gateway.sendAndWait(command.get());
            } catch (RuntimeException e) {
                Throwable cause = CommandFailures.cause(e);
                if (CommandFailures.contended(cause) && attempt < ATTEMPTS) {
                    continue; // another instance wrote to this wallet meanwhile: decide again on its new state
                }
                throw problem(cause);
            }
        }
    }

    static RuntimeException problem(Throwable cause) {
        if (cause instanceof WalletMessages.InsufficientPoints i) {
            return new ProblemException(HttpStatus.CONFLICT, "INSUFFICIENT_POINTS", "Insufficient points", i.getMessage());
        }
        if (cause instanceof WalletMessages.NotHeld n) {
            return new ProblemException(HttpStatus.CONFLICT, "REDEMPTION_NOT_HELD", "Redemption not held", n.getMessage());
        }
        if (cause instanceof WalletMessages.RedemptionNotFound n) {
            return ProblemException.notFound("REDEMPTION_NOT_FOUND", n.getMessage());
        }
        if (CommandFailures.contended(cause)) {
            return new ProblemException(HttpStatus.CONFLICT, "WALLET_BUSY", "Wallet busy",
                    "The wallet changed concurrently too often; retry with the same idempotency_key.");
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }
}
