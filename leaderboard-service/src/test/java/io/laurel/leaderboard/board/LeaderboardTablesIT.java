package io.laurel.leaderboard.board;

import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generation created before leaderboards had periods (scores keyed by tenant, board and user) is brought to
 * the current layout in place: its rows become all-time rows and keep their scores.
 */
class LeaderboardTablesIT {
    private final TestEnvironment env = LaurelTestInfra.forClass(LeaderboardTablesIT.class);

    @Test
    void anOldGenerationIsMigratedAndKeepsItsScores() throws Exception {
        LeaderboardProjection projection = new LeaderboardProjection(env.topics(), null);
        try (Connection c = env.openConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA old_gen");
            st.execute("CREATE TABLE old_gen.applied_entries (entry_id text PRIMARY KEY)");
            st.execute("CREATE TABLE old_gen.scores (tenant text NOT NULL, board text NOT NULL, user_id text NOT NULL,"
                    + " score bigint NOT NULL, PRIMARY KEY (tenant, board, user_id))");
            st.execute("CREATE INDEX scores_ranked ON old_gen.scores (tenant, board, score DESC, user_id)");
            st.execute("INSERT INTO old_gen.scores VALUES ('acme', 'all-time', 'ann', 42)");

            projection.createTables(c, "old_gen");
            projection.createTables(c, "old_gen"); // and again: nothing left to do

            try (ResultSet rs = st.executeQuery("SELECT period_start, score FROM old_gen.scores WHERE user_id = 'ann'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp(1).toInstant()).isEqualTo(java.time.Instant.EPOCH);
                assertThat(rs.getLong(2)).isEqualTo(42);
            }
            // the same member in another period is a row of its own now
            st.execute("INSERT INTO old_gen.scores (tenant, board, period_start, user_id, score, reached_at) VALUES"
                    + " ('acme', 'all-time', '2026-05-01T00:00:00Z', 'ann', 1, now())");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM old_gen.scores")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname = 'old_gen'"
                    + " AND indexname = 'scores_ranked'")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }
}
