package io.laurel.badge.challenge;

import io.laurel.badge.challenge.engine.ChallengeProgress;
import io.laurel.badge.challenge.engine.ChallengeState;

import com.fasterxml.jackson.core.type.TypeReference;
import io.laurel.badge.challenge.engine.ChallengeProgress.StepProgress;
import io.laurel.events.json.LaurelJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The challenge progress of one batch's users, read from {@code challenge_progress} in one query before the
 * batch and written back in one batched upsert after it, in the batch's transaction.
 */
public final class BatchChallengeState implements ChallengeState {
    private static final TypeReference<Map<String, StepProgress>> STEPS = new TypeReference<>() {
    };

    private final Connection c;
    private final String schema;
    private final Map<String, ChallengeProgress> loaded = new HashMap<>();
    /** Rows read but not parsed yet: a batch parses only the progress of the challenges its inputs concern. */
    private final Map<String, Object[]> unparsed = new HashMap<>();
    private final Map<String, ChallengeProgress> changed = new LinkedHashMap<>();
    private final Map<String, int[]> passed = new HashMap<>();

    public BatchChallengeState(Connection c, String schema) {
        this.c = c;
        this.schema = schema;
    }

    /** The table, in the badge projection's schema. */
    public static String ddl(String s) {
        return "CREATE TABLE IF NOT EXISTS " + s + ".challenge_progress (tenant text NOT NULL, user_id text NOT NULL,"
                + " challenge_id text NOT NULL, attempt int NOT NULL, started_at timestamptz, completed_at timestamptz,"
                + " last_progress_at timestamptz, steps_passed int NOT NULL, percent int NOT NULL, steps jsonb NOT NULL,"
                + " PRIMARY KEY (tenant, user_id, challenge_id))";
    }

    /** The order of a challenge's leaders: completed first (earliest first), then by percentage, then who got there first. */
    public static String leadersIndex(String s) {
        return "CREATE INDEX IF NOT EXISTS challenge_leaders ON " + s + ".challenge_progress (tenant, challenge_id,"
                + " (completed_at IS NULL), completed_at, percent DESC, last_progress_at, user_id)";
    }

    private static String key(String tenant, String userId, String challengeId) {
        return tenant + '\u001F' + userId + '\u001F' + challengeId;
    }

    /** Reads the progress of every challenge of the given users ({@code tenant \u001F user}). */
    public void preload(Set<String> tenantUsers) throws SQLException {
        if (tenantUsers.isEmpty()) {
            return;
        }
        String[][] split = io.laurel.badge.rule.TenantUsers.split(tenantUsers);
        try (PreparedStatement ps = c.prepareStatement("SELECT p.tenant, p.user_id, p.challenge_id, p.attempt, p.started_at,"
                + " p.completed_at, p.last_progress_at, p.steps::text FROM " + schema + ".challenge_progress p"
                + " JOIN unnest(?::text[], ?::text[]) AS u(tenant, user_id) ON p.tenant = u.tenant AND p.user_id = u.user_id")) {
            ps.setArray(1, c.createArrayOf("text", split[0]));
            ps.setArray(2, c.createArrayOf("text", split[1]));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unparsed.put(key(rs.getString(1), rs.getString(2), rs.getString(3)), new Object[]{rs.getInt(4),
                            instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                            rs.getString(8)});
                }
            }
        }
    }

    /** A stored {@code steps} column. */
    public static Map<String, StepProgress> steps(String json) {
        try {
            return json == null ? Map.of() : LaurelJson.mapper().readValue(json, STEPS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable challenge progress", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public ChallengeProgress progress(String tenant, String userId, String challengeId) {
        String k = key(tenant, userId, challengeId);
        ChallengeProgress p = changed.get(k);
        if (p != null) {
            return p;
        }
        p = loaded.get(k);
        if (p == null) {
            Object[] row = unparsed.remove(k);
            if (row == null) {
                return ChallengeProgress.NONE;
            }
            p = new ChallengeProgress((Integer) row[0], (Instant) row[1], (Instant) row[2], (Instant) row[3],
                    steps((String) row[4]));
            loaded.put(k, p);
        }
        return p;
    }

    @Override
    public void save(String tenant, String userId, String challengeId, ChallengeProgress progress, int stepsPassed,
                     int percent) {
        String k = key(tenant, userId, challengeId);
        changed.put(k, progress);
        passed.put(k, new int[]{stepsPassed, percent});
    }

    /** Writes the batch's changed progress back in one statement (an upsert of an unnest of arrays). */
    public void flush() throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        int n = changed.size();
        String[] tenants = new String[n], users = new String[n], challenges = new String[n], steps = new String[n];
        Integer[] attempts = new Integer[n], stepsPassed = new Integer[n], percents = new Integer[n];
        Timestamp[] started = new Timestamp[n], completed = new Timestamp[n], progressed = new Timestamp[n];
        int i = 0;
        for (var e : changed.entrySet()) {
            String[] parts = e.getKey().split("\u001F", 3);
            ChallengeProgress p = e.getValue();
            int[] counts = passed.get(e.getKey());
            tenants[i] = parts[0];
            users[i] = parts[1];
            challenges[i] = parts[2];
            attempts[i] = p.attempt();
            started[i] = timestamp(p.startedAt());
            completed[i] = timestamp(p.completedAt());
            progressed[i] = timestamp(p.lastProgressAt());
            stepsPassed[i] = counts[0];
            percents[i] = counts[1];
            try {
                steps[i] = LaurelJson.mapper().writeValueAsString(p.steps());
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new SQLException("challenge progress not serialisable", ex);
            }
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".challenge_progress (tenant, user_id,"
                + " challenge_id, attempt, started_at, completed_at, last_progress_at, steps_passed, percent, steps)"
                + " SELECT t, u, ch, a, st, co, lp, sp, pc, js::jsonb FROM unnest(?::text[], ?::text[], ?::text[], ?::int[],"
                + " ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::int[], ?::text[])"
                + " AS x(t, u, ch, a, st, co, lp, sp, pc, js) ON CONFLICT (tenant, user_id, challenge_id) DO UPDATE SET"
                + " attempt = EXCLUDED.attempt, started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at,"
                + " last_progress_at = EXCLUDED.last_progress_at, steps_passed = EXCLUDED.steps_passed,"
                + " percent = EXCLUDED.percent, steps = EXCLUDED.steps")) {
            ps.setArray(1, c.createArrayOf("text", tenants));
            ps.setArray(2, c.createArrayOf("text", users));
            ps.setArray(3, c.createArrayOf("text", challenges));
            ps.setArray(4, c.createArrayOf("int4", attempts));
            ps.setArray(5, c.createArrayOf("timestamptz", started));
            ps.setArray(6, c.createArrayOf("timestamptz", completed));
            ps.setArray(7, c.createArrayOf("timestamptz", progressed));
            ps.setArray(8, c.createArrayOf("int4", stepsPassed));
            ps.setArray(9, c.createArrayOf("int4", percents));
            ps.setArray(10, c.createArrayOf("text", steps));
            ps.executeUpdate();
        }
        changed.clear();
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }
}
