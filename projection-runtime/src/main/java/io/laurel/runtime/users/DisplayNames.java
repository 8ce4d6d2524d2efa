package io.laurel.runtime.users;

import io.laurel.runtime.db.SharedSchema;
import io.laurel.runtime.web.Blocking;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users' display names ({@code PUT /v1/users/{user_id}/profile}), one table of the platform that every service reads:
 * public profiles, leaderboard entries, the dashboard and certificates show a user's name instead of the id. Kept in
 * PostgreSQL (the platform's store of record for what clients set directly, as API keys are), not folded from a
 * topic. Reads are cached per user for {@link #TTL}: a name set through another instance shows within it.
 */
public class DisplayNames {
    static final String SCHEMA = "laurel_users";
    /** How long a name read from the table is used before it is read again. */
    public static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_CACHED = 100_000;

    private final DataSource dataSource;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile boolean ready;

    private record Cached(String name, long loadedAtNanos) {
    }

    public DisplayNames(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private void ensureTable() throws SQLException {
        if (ready) {
            return;
        }
        SharedSchema.create(dataSource, SCHEMA, st -> {
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".display_names (tenant text NOT NULL,"
                    + " user_id text NOT NULL, display_name text NOT NULL, updated_at timestamptz NOT NULL,"
                    + " PRIMARY KEY (tenant, user_id))");
        });
        ready = true;
    }

    /** Sets ({@code name} non-null) or clears ({@code null}) the user's display name. */
    public void set(String tenant, String userId, String name) throws SQLException {
        ensureTable();
        try (Connection c = dataSource.getConnection()) {
            if (name == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SCHEMA
                        + ".display_names WHERE tenant = ? AND user_id = ?")) {
                    ps.setString(1, tenant);
                    ps.setString(2, userId);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".display_names (tenant, user_id,"
                        + " display_name, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant, user_id) DO UPDATE SET"
                        + " display_name = excluded.display_name, updated_at = excluded.updated_at")) {
                    ps.setString(1, tenant);
                    ps.setString(2, userId);
                    ps.setString(3, name);
                    ps.setTimestamp(4, Timestamp.from(Instant.now()));
                    ps.executeUpdate();
                }
            }
        }
        cache.put(key(tenant, userId), new Cached(name, System.nanoTime()));
    }

    /** The user's display name, if one is set (blocking: call off the event loop). */
    public Optional<String> get(String tenant, String userId) throws SQLException {
        return Optional.ofNullable(names(tenant, List.of(userId)).get(userId));
    }

    /** The display names of those of {@code userIds} that have one (blocking on a cache miss). */
    public Map<String, String> names(String tenant, Collection<String> userIds) throws SQLException {
        Map<String, String> out = new HashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        long now = System.nanoTime();
        for (String u : userIds) {
            Cached c = cache.get(key(tenant, u));
            if (fresh(c, now)) {
                if (c.name() != null) {
                    out.put(u, c.name());
                }
            } else {
                missing.add(u);
            }
        }
        if (!missing.isEmpty()) {
            out.putAll(load(tenant, missing));
        }
        return out;
    }

    /** As {@link #names}, without blocking the caller's thread when something must be read. */
    public Mono<Map<String, String>> namesAsync(String tenant, Collection<String> userIds) {
        long now = System.nanoTime();
        boolean allCached = userIds.stream().allMatch(u -> fresh(cache.get(key(tenant, u)), now));
        if (allCached) {
            try {
                return Mono.just(names(tenant, userIds));
            } catch (SQLException e) {
                return Mono.error(e);
            }
        }
        List<String> users = new ArrayList<>(userIds);
        return Blocking.call(() -> names(tenant, users));
    }

    private Map<String, String> load(String tenant, Set<String> users) throws SQLException {
        ensureTable();
        Map<String, String> found = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id, display_name FROM " + SCHEMA
                     + ".display_names WHERE tenant = ? AND user_id = ANY(?)")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("text", users.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        long now = System.nanoTime();
        for (String u : users) {
            cache.put(key(tenant, u), new Cached(found.get(u), now));
        }
        return found;
    }

    private static boolean fresh(Cached c, long now) {
        return c != null && now - c.loadedAtNanos() < TTL.toNanos();
    }

    private static String key(String tenant, String userId) {
        return tenant + '\u001f' + userId;
    }
}
