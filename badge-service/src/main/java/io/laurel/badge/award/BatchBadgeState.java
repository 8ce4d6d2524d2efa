package io.laurel.badge.award;

import io.laurel.badge.rule.BadgeState;
import io.laurel.badge.rule.Progress;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The progress of one batch's users, read from {@code badge_progress} in one query before the batch and
 * written back in one upsert after it, in the batch's transaction.
 */
final class BatchBadgeState implements BadgeState {
    private final Connection c;
    private final String schema;
    private final Map<String, Progress> loaded = new HashMap<>();
    private final Map<String, Progress> changed = new LinkedHashMap<>();

    BatchBadgeState(Connection c, String schema) {
        this.c = c;
        this.schema = schema;
    }

    private static String key(String tenant, String userId, String badgeId) {
        return tenant + '\u001F' + userId + '\u001F' + badgeId;
    }

    /** Reads the progress of every badge of the given users ({@code tenant \u001F user}). */
    void preload(Set<String> tenantUsers) throws SQLException {
        if (tenantUsers.isEmpty()) {
            return;
        }
        String[][] split = io.laurel.badge.rule.TenantUsers.split(tenantUsers);
        try (PreparedStatement ps = c.prepareStatement("SELECT p.tenant, p.user_id, p.badge_id, p.value, p.last_period,"
                + " p.awards, p.sessions FROM " + schema + ".badge_progress p JOIN unnest(?::text[], ?::text[]) AS u(tenant,"
                + " user_id) ON p.tenant = u.tenant AND p.user_id = u.user_id")) {
            ps.setArray(1, c.createArrayOf("text", split[0]));
            ps.setArray(2, c.createArrayOf("text", split[1]));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array sessions = rs.getArray(7);
                    List<String> list = sessions == null ? List.of() : Arrays.asList((String[]) sessions.getArray());
                    loaded.put(key(rs.getString(1), rs.getString(2), rs.getString(3)),
                            new Progress(rs.getLong(4), rs.getLong(5), rs.getInt(6), list));
                }
            }
        }
    }

    @Override
    public Progress progress(String tenant, String userId, String badgeId) {
        String k = key(tenant, userId, badgeId);
        Progress p = changed.get(k);
        return p != null ? p : loaded.getOrDefault(k, Progress.NONE);
    }

    @Override
    public void save(String tenant, String userId, String badgeId, Progress progress) {
        changed.put(key(tenant, userId, badgeId), progress);
    }

    void flush() throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".badge_progress (tenant, user_id,"
                + " badge_id, value, last_period, awards, sessions) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant, user_id, badge_id) DO UPDATE SET value = EXCLUDED.value,"
                + " last_period = EXCLUDED.last_period, awards = EXCLUDED.awards, sessions = EXCLUDED.sessions")) {
            for (var e : changed.entrySet()) {
                String[] parts = e.getKey().split("\u001F", 3);
                Progress p = e.getValue();
                ps.setString(1, parts[0]);
                ps.setString(2, parts[1]);
                ps.setString(3, parts[2]);
                ps.setLong(4, p.value());
                ps.setLong(5, p.lastPeriod());
                ps.setInt(6, p.awards());
                ps.setArray(7, c.createArrayOf("text", new ArrayList<>(p.sessions()).toArray(String[]::new)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        changed.clear();
    }
}
