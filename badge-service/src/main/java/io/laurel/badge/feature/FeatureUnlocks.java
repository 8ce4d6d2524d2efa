package io.laurel.badge.feature;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code feature_unlocks} table of the badge projection: one row per user and feature, written once. */
public final class FeatureUnlocks {
    private FeatureUnlocks() {
    }

    public static String ddl(String schema) {
        return "CREATE TABLE IF NOT EXISTS " + schema + ".feature_unlocks (tenant text NOT NULL, user_id text NOT NULL,"
                + " feature_id text NOT NULL, unlock_id text NOT NULL, unlocked_at timestamptz NOT NULL, source text NOT NULL,"
                + " PRIMARY KEY (tenant, user_id, feature_id))";
    }

    /** The features each of {@code users} ({@code tenant␟user} keys) has unlocked. */
    public static Map<String, Set<String>> of(Connection c, String schema, Collection<String> users) throws SQLException {
        Map<String, Set<String>> out = new HashMap<>();
        if (users.isEmpty()) {
            return out;
        }
        List<String> tenants = new ArrayList<>(), ids = new ArrayList<>();
        for (String key : users) {
            int cut = key.indexOf('\u241f');
            tenants.add(key.substring(0, cut));
            ids.add(key.substring(cut + 1));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT f.tenant, f.user_id, f.feature_id FROM " + schema
                + ".feature_unlocks f JOIN unnest(?::text[], ?::text[]) AS u(tenant, user_id)"
                + " ON f.tenant = u.tenant AND f.user_id = u.user_id")) {
            ps.setArray(1, c.createArrayOf("text", tenants.toArray()));
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(key(rs.getString(1), rs.getString(2)), k -> new HashSet<>()).add(rs.getString(3));
                }
            }
        }
        return out;
    }

    public static String key(String tenant, String userId) {
        return tenant + '\u241f' + userId;
    }

    /** Inserts the unlocks; answers the ids of those that were new. */
    public static Set<String> insert(Connection c, String schema, List<FeatureRules.Unlocked> unlocks) throws SQLException {
        Set<String> inserted = new HashSet<>();
        if (unlocks.isEmpty()) {
            return inserted;
        }
        int n = unlocks.size();
        String[] tenants = new String[n], users = new String[n], features = new String[n], ids = new String[n],
                sources = new String[n];
        Timestamp[] at = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            FeatureRules.Unlocked u = unlocks.get(i);
            tenants[i] = u.tenant();
            users[i] = u.userId();
            features[i] = u.featureId();
            ids[i] = u.id();
            sources[i] = u.source();
            at[i] = Timestamp.from(u.at());
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".feature_unlocks (tenant, user_id,"
                + " feature_id, unlock_id, unlocked_at, source) SELECT * FROM unnest(?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::timestamptz[], ?::text[]) ON CONFLICT DO NOTHING RETURNING unlock_id")) {
            ps.setArray(1, c.createArrayOf("text", tenants));
            ps.setArray(2, c.createArrayOf("text", users));
            ps.setArray(3, c.createArrayOf("text", features));
            ps.setArray(4, c.createArrayOf("text", ids));
            ps.setArray(5, c.createArrayOf("timestamptz", at));
            ps.setArray(6, c.createArrayOf("text", sources));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }
}
