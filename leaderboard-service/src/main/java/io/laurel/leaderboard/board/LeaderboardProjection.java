package io.laurel.leaderboard.board;

import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionTx;
import io.laurel.runtime.projection.DecodedProjection;
import io.laurel.runtime.projection.Decoder;
import io.laurel.runtime.projection.Delivered;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the points journal into leaderboard scores. Every entry is applied once: entry ids already
 * seen (a journal entry published twice) are recognised and skipped. Redemptions do not lower a
 * leaderboard score: ranks measure what was earned.
 */
@Component
public class LeaderboardProjection implements DecodedProjection<PointsEntry> {
    public static final String NAME = "leaderboards";

    private final TopicRegistry topics;
    private final CatalogView catalog;

    public LeaderboardProjection(TopicRegistry topics, CatalogView catalog) {
        this.topics = topics;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Decoder<? extends PointsEntry>> decoders() {
        return Map.of(topics.points().name(), Decoder.of(topics.points(), e -> e.entryId() != null && e.tenant() != null
                && e.userId() != null && e.currency() != null && e.kind() != null, "a points entry"));
    }

    @Override
    public List<String> tables() {
        return List.of("applied_entries", "scores");
    }

    @Override
    public void createTables(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            boolean fresh;
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + s + ".scores') IS NULL")) {
                rs.next();
                fresh = rs.getBoolean(1);
            }
            // the boards this generation folds from the start of laurel.points: complete, no backfill needed
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".complete_boards (signature text PRIMARY KEY)");
            if (fresh && catalog != null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".complete_boards (signature)"
                        + " SELECT unnest(?::text[]) ON CONFLICT DO NOTHING")) {
                    ps.setArray(1, c.createArrayOf("text", boardSignatures(catalog).toArray(String[]::new)));
                    ps.executeUpdate();
                }
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".applied_entries (entry_id text PRIMARY KEY)");
            // user_id holds the member: the user, or the group on a board grouped by group
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".scores (tenant text NOT NULL, board text NOT NULL,"
                    + " period_start timestamptz NOT NULL, user_id text NOT NULL, score bigint NOT NULL,"
                    + " reached_at timestamptz NOT NULL, PRIMARY KEY (tenant, board, period_start, user_id))");
            // a generation created before boards had periods: its rows are all-time rows
            st.execute("ALTER TABLE " + s + ".scores ADD COLUMN IF NOT EXISTS period_start timestamptz NOT NULL"
                    + " DEFAULT '1970-01-01T00:00:00Z'");
            st.execute("ALTER TABLE " + s + ".scores ADD COLUMN IF NOT EXISTS reached_at timestamptz NOT NULL"
                    + " DEFAULT '1970-01-01T00:00:00Z'");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid ="
                    + " i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '" + s + ".scores'::regclass"
                    + " AND i.indisprimary AND a.attname = 'period_start'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    st.execute("ALTER TABLE " + s + ".scores DROP CONSTRAINT scores_pkey, ADD PRIMARY KEY (tenant, board,"
                            + " period_start, user_id)");
                }
            }
            st.execute("DROP INDEX IF EXISTS " + s + ".scores_ranked");
            // every member's score after each commit, in commit order by transaction id: what every instance's
            // in-memory rankings follow (BoardIndexes tails it), whichever instance folded the partition
            st.execute("CREATE TABLE IF NOT EXISTS " + s + "." + BoardIndexes.CHANGES + " (xid xid8 NOT NULL DEFAULT"
                    + " pg_current_xact_id(), seq bigserial, tenant text NOT NULL, board text NOT NULL, period_start"
                    + " timestamptz NOT NULL, user_id text NOT NULL, score bigint NOT NULL, reached_at timestamptz NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS " + BoardIndexes.CHANGES + "_by_xid ON " + s + "."
                    + BoardIndexes.CHANGES + " (xid, seq)");
            // the changes below this transaction id have been pruned: an instance behind it reloads its rankings
            st.execute("CREATE TABLE IF NOT EXISTS " + s + "." + BoardIndexes.CHANGES + "_horizon (id int PRIMARY KEY,"
                    + " below xid8 NOT NULL)");
        }
    }

    /** The ranking indexes: only readers use them, so a rebuilt generation gets them once it has caught up. */
    @Override
    public void createIndexes(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE INDEX IF NOT EXISTS scores_by_score ON " + s + ".scores (tenant, board, period_start,"
                    + " score DESC, user_id)");
            st.execute("CREATE INDEX IF NOT EXISTS scores_by_reach ON " + s + ".scores (tenant, board, period_start,"
                    + " score DESC, reached_at, user_id)");
        }
    }

    @Override
    public void applyDecoded(List<Delivered<PointsEntry>> records, ProjectionTx tx) throws Exception {
        Map<String, PointsEntry> entries = new LinkedHashMap<>();
        for (Delivered<PointsEntry> r : records) {
            entries.putIfAbsent(r.value().entryId(), r.value());
        }
        Set<String> fresh = markApplied(tx.connection(), tx.schema(), entries.keySet());
        Map<ScoreKey, long[]> deltas = new LinkedHashMap<>();
        Map<String, List<LeaderboardDefinition>> boardsOfTenant = new java.util.HashMap<>();
        for (PointsEntry e : entries.values()) {
            if (!fresh.contains(e.entryId())) {
                continue;
            }
            for (LeaderboardDefinition board : boardsOfTenant.computeIfAbsent(e.tenant(), catalog::leaderboards)) {
                if (!counts(board, e)) {
                    continue;
                }
                Instant periodStart = board.calendarPeriod().start(e.occurredAt(), board.zone());
                List<String> members = LeaderboardDefinition.GROUP_BY_GROUP.equals(board.groupBy()) ? e.groups()
                        : List.of(e.userId());
                for (String member : members) {
                    long[] d = deltas.computeIfAbsent(new ScoreKey(e.tenant(), board.id(), periodStart, member),
                            k -> new long[2]);
                    d[0] += e.points();
                    d[1] = Math.max(d[1], e.recordedAt() == null ? 0 : e.recordedAt().toEpochMilli());
                }
            }
        }
        // the in-memory rankings of every instance, and the live streams, follow the changes table (BoardIndexes);
        // a generation being rebuilt has no followers: its rankings are loaded from its scores once it is live
        upsertScores(tx.connection(), tx.schema(), deltas, !tx.isRebuilding());
    }

    /** Whether the entry counts on the board: its currency, within its dates, redemptions only if they lower it. */
    static boolean counts(LeaderboardDefinition board, PointsEntry e) {
        if (!board.currency().equals(e.currency()) || e.occurredAt() == null || !board.covers(e.occurredAt())) {
            return false;
        }
        return e.kind() != PointsEntryKind.REDEEMED || board.redemptionsLower();
    }

    /**
     * What a board's scores depend on, per board: a board whose signature a generation did not start with
     * (defined or changed since) has to be filled from the whole journal. The tie strategy and the name
     * only change how it is read. {@code all-time} is every tenant's from the start and never needs it.
     */
    static String signature(LeaderboardDefinition b) {
        return String.join("|", b.tenant(), b.id(), b.currency(), b.period(), b.zone().getId(), b.groupBy(),
                String.valueOf(b.startDate()), String.valueOf(b.endDate()), String.valueOf(b.redemptionsLower()));
    }

    /** The signatures of every tenant's defined boards. */
    static java.util.Set<String> boardSignatures(CatalogView catalog) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (var tenant : catalog.tenants()) {
            for (LeaderboardDefinition b : catalog.leaderboards(tenant.tenant())) {
                if (!LeaderboardDefinition.ALL_TIME.equals(b.id())) {
                    out.add(signature(b));
                }
            }
        }
        return out;
    }

    /** One score: a member of a board in one period. */
    record ScoreKey(String tenant, String board, Instant periodStart, String member) {
    }

    private static final java.util.Comparator<Map.Entry<ScoreKey, long[]>> SCORE_KEY_ORDER = java.util.Comparator
            .comparing((Map.Entry<ScoreKey, long[]> e) -> e.getKey().tenant())
            .thenComparing(e -> e.getKey().board())
            .thenComparing(e -> e.getKey().periodStart())
            .thenComparing(e -> e.getKey().member());

    private static Set<String> markApplied(Connection c, String s, Set<String> ids) throws SQLException {
        Set<String> fresh = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".applied_entries (entry_id)"
                + " SELECT unnest(?::text[]) ON CONFLICT (entry_id) DO NOTHING RETURNING entry_id")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        return fresh;
    }

    /** Adds the deltas to the scores, and the scores after it to the changes table if {@code logged}. */
    private static void upsertScores(Connection c, String s, Map<ScoreKey, long[]> deltas, boolean logged)
            throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        int n = deltas.size();
        String[] tenants = new String[n], boards = new String[n], users = new String[n];
        java.sql.Timestamp[] periods = new java.sql.Timestamp[n], reached = new java.sql.Timestamp[n];
        Long[] points = new Long[n];
        int i = 0;
        // in key order: concurrent batches (a rebuild runs several consumers; a group's row is shared by
        // partitions) lock the rows they share in the same order, so they wait for each other, never deadlock
        List<Map.Entry<ScoreKey, long[]>> sorted = new java.util.ArrayList<>(deltas.entrySet());
        sorted.sort(SCORE_KEY_ORDER);
        for (var e : sorted) {
            tenants[i] = e.getKey().tenant();
            boards[i] = e.getKey().board();
            periods[i] = java.sql.Timestamp.from(e.getKey().periodStart());
            users[i] = e.getKey().member();
            points[i] = e.getValue()[0];
            reached[i] = new java.sql.Timestamp(e.getValue()[1]);
            i++;
        }
        // reached_at: when the member last changed its score (the latest entry's recorded time), for first_to_reach
        String upsert = "INSERT INTO " + s + ".scores (tenant, board, period_start, user_id, score, reached_at)"
                + " SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::bigint[], ?::timestamptz[])"
                + " ON CONFLICT (tenant, board, period_start, user_id) DO UPDATE SET score = scores.score + EXCLUDED.score,"
                + " reached_at = CASE WHEN EXCLUDED.score <> 0 THEN EXCLUDED.reached_at ELSE scores.reached_at END";
        // the scores after the upsert go to the changes table in the same statement
        String sql = !logged ? upsert : "WITH up AS (" + upsert + " RETURNING tenant, board, period_start, user_id,"
                + " score, reached_at) INSERT INTO " + s + "." + BoardIndexes.CHANGES + " (tenant, board, period_start,"
                + " user_id, score, reached_at) SELECT tenant, board, period_start, user_id, score, reached_at FROM up"
                + " ORDER BY tenant, board, period_start, user_id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", tenants));
            ps.setArray(2, c.createArrayOf("text", boards));
            ps.setArray(3, c.createArrayOf("timestamptz", periods));
            ps.setArray(4, c.createArrayOf("text", users));
            ps.setArray(5, c.createArrayOf("int8", points));
            ps.setArray(6, c.createArrayOf("timestamptz", reached));
            ps.executeUpdate();
        }
    }
}
