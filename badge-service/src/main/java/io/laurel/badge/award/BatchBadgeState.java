package io.laurel.badge.award;

import io.laurel.badge.rule.BadgeState;
import io.laurel.badge.rule.Progress;
import io.laurel.runtime.projection.CopyRows;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The progress of one batch's users, read from {@code badge_progress} in one query before the batch and
 * written back in one statement after it, in the batch's transaction.
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

    /** Writes the batch's changed progress back in one statement (an upsert of an unnest of arrays). */
    void flush() throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        int n = changed.size();
        String[] tenants = new String[n], users = new String[n], badges = new String[n], sessions = new String[n];
        Long[] values = new Long[n], periods = new Long[n];
        Integer[] awards = new Integer[n];
        int i = 0;
        for (var e : changed.entrySet()) {
            String[] parts = e.getKey().split("\u001F", 3);
            Progress p = e.getValue();
            tenants[i] = parts[0];
            users[i] = parts[1];
            badges[i] = parts[2];
            values[i] = p.value();
            periods[i] = p.lastPeriod();
            awards[i] = p.awards();
            sessions[i] = CopyRows.arrayLiteral(p.sessions());
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".badge_progress (tenant, user_id,"
                + " badge_id, value, last_period, awards, sessions) SELECT t, u, b, v, l, a, s::text[] FROM unnest(?::text[],"
                + " ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::int[], ?::text[]) AS x(t, u, b, v, l, a, s)"
                + " ON CONFLICT (tenant, user_id, badge_id) DO UPDATE SET value = EXCLUDED.value,"
                + " last_period = EXCLUDED.last_period, awards = EXCLUDED.awards, sessions = EXCLUDED.sessions")) {
            ps.setArray(1, c.createArrayOf("text", tenants));
            ps.setArray(2, c.createArrayOf("text", users));
            ps.setArray(3, c.createArrayOf("text", badges));
            ps.setArray(4, c.createArrayOf("int8", values));
            ps.setArray(5, c.createArrayOf("int8", periods));
            ps.setArray(6, c.createArrayOf("int4", awards));
            ps.setArray(7, c.createArrayOf("text", sessions));
            ps.executeUpdate();
        }
        changed.clear();
    }
}
