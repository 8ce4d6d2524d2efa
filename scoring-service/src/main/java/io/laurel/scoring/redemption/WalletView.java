package io.laurel.scoring.redemption;

import io.laurel.runtime.db.SharedSchema;
import io.laurel.scoring.redemption.WalletMessages.HoldConfirmed;
import io.laurel.scoring.redemption.WalletMessages.HoldReleased;
import io.laurel.scoring.redemption.WalletMessages.PointsHeld;
import io.laurel.scoring.redemption.WalletMessages.RedemptionCompleted;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The redemptions and wallet totals (redeemed, held) as the wallets decided them. A subscribing
 * processor: it runs in the command's transaction, so the view changes atomically with the decision and
 * a request can read its own redemption right after the command returns.
 */
@Component
@ProcessingGroup(WalletAxonConfiguration.VIEW)
public class WalletView {
    private final JdbcTemplate jdbc;

    /** One redemption as stored. */
    public record Redemption(String tenant, String id, String userId, String currency, long points, String description,
                             String status, Instant createdAt, Instant updatedAt, Instant expiresAt, String releaseReason) {
    }

    /** A wallet's totals. */
    public record Totals(long redeemed, long held) {
        public static final Totals NONE = new Totals(0, 0);
    }

    public WalletView(DataSource dataSource) throws SQLException {
        this.jdbc = new JdbcTemplate(dataSource);
        SharedSchema.create(dataSource, "wallet", st -> {
            st.execute("CREATE TABLE IF NOT EXISTS wallet.redemptions (tenant text NOT NULL, id text NOT NULL,"
                    + " user_id text NOT NULL, currency text NOT NULL, points bigint NOT NULL, description text,"
                    + " status text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,"
                    + " expires_at timestamptz, release_reason text, PRIMARY KEY (tenant, id))");
            st.execute("CREATE INDEX IF NOT EXISTS redemptions_by_user ON wallet.redemptions (tenant, user_id, created_at DESC)");
            st.execute("CREATE INDEX IF NOT EXISTS redemptions_held ON wallet.redemptions (expires_at) WHERE status = 'held'");
            st.execute("CREATE TABLE IF NOT EXISTS wallet.wallets (tenant text NOT NULL, user_id text NOT NULL,"
                    + " currency text NOT NULL, redeemed bigint NOT NULL DEFAULT 0, held bigint NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (tenant, user_id, currency))");
        });
    }

    @EventHandler
    void on(RedemptionCompleted e) {
        insert(e.tenant(), e.redemptionId(), e.userId(), e.currency(), e.points(), e.description(),
                RedemptionStatus.COMPLETED, e.at(), null);
        totals(e.tenant(), e.userId(), e.currency(), e.points(), 0);
    }

    @EventHandler
    void on(PointsHeld e) {
        insert(e.tenant(), e.redemptionId(), e.userId(), e.currency(), e.points(), e.description(),
                RedemptionStatus.HELD, e.at(), e.expiresAt());
        totals(e.tenant(), e.userId(), e.currency(), 0, e.points());
    }

    @EventHandler
    void on(HoldConfirmed e) {
        jdbc.update("UPDATE wallet.redemptions SET status = ?, updated_at = ? WHERE tenant = ? AND id = ?",
                RedemptionStatus.COMPLETED, Timestamp.from(e.at()), e.tenant(), e.redemptionId());
        totals(e.tenant(), e.userId(), e.currency(), e.points(), -e.points());
    }

    @EventHandler
    void on(HoldReleased e) {
        jdbc.update("UPDATE wallet.redemptions SET status = ?, updated_at = ?, release_reason = ? WHERE tenant = ? AND id = ?",
                RedemptionStatus.RELEASED, Timestamp.from(e.at()), e.reason(), e.tenant(), e.redemptionId());
        totals(e.tenant(), e.userId(), e.currency(), 0, -e.points());
    }

    private void insert(String tenant, String id, String userId, String currency, long points, String description,
                        String status, Instant at, Instant expiresAt) {
        jdbc.update("INSERT INTO wallet.redemptions (tenant, id, user_id, currency, points, description, status, created_at,"
                        + " updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, id) DO NOTHING",
                tenant, id, userId, currency, points, description, status, Timestamp.from(at), Timestamp.from(at),
                expiresAt == null ? null : Timestamp.from(expiresAt));
    }

    private void totals(String tenant, String userId, String currency, long redeemed, long held) {
        jdbc.update("INSERT INTO wallet.wallets (tenant, user_id, currency, redeemed, held) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant, user_id, currency) DO UPDATE SET redeemed = wallets.redeemed + EXCLUDED.redeemed,"
                        + " held = wallets.held + EXCLUDED.held",
                tenant, userId, currency, redeemed, held);
    }

    public Optional<Redemption> find(String tenant, String id) {
        return jdbc.query("SELECT * FROM wallet.redemptions WHERE tenant = ? AND id = ?", (rs, n) -> row(rs), tenant, id)
                .stream().findFirst();
    }

    public List<Redemption> ofUser(String tenant, String userId, int limit) {
        return jdbc.query("SELECT * FROM wallet.redemptions WHERE tenant = ? AND user_id = ? ORDER BY created_at DESC, id"
                + " LIMIT ?", (rs, n) -> row(rs), tenant, userId, limit);
    }

    /** Held redemptions whose time is up. */
    public List<Redemption> expired(Instant now, int limit) {
        return jdbc.query("SELECT * FROM wallet.redemptions WHERE status = 'held' AND expires_at <= ? ORDER BY expires_at"
                + " LIMIT ?", (rs, n) -> row(rs), Timestamp.from(now), limit);
    }

    /** Per currency: what the user's wallets have redeemed and hold. */
    public Map<String, Totals> totals(String tenant, String userId) {
        Map<String, Totals> totals = new java.util.TreeMap<>();
        jdbc.query("SELECT currency, redeemed, held FROM wallet.wallets WHERE tenant = ? AND user_id = ?",
                rs -> {
                    totals.put(rs.getString(1), new Totals(rs.getLong(2), rs.getLong(3)));
                }, tenant, userId);
        return totals;
    }

    private static Redemption row(java.sql.ResultSet rs) throws SQLException {
        Timestamp expires = rs.getTimestamp("expires_at");
        return new Redemption(rs.getString("tenant"), rs.getString("id"), rs.getString("user_id"), rs.getString("currency"),
                rs.getLong("points"), rs.getString("description"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                expires == null ? null : expires.toInstant(), rs.getString("release_reason"));
    }
}
