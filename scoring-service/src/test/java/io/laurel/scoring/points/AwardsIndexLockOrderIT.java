package io.laurel.scoring.points;

import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scoring rebuild that has caught up builds its readers' indexes (with the ledger's key, which locks the table)
 * while its consumer goes on folding; a batch with the history's first removal builds the awards index at that
 * moment, holding the awards lock, then waiting for the ledger. The readers' indexes take the awards lock first, as
 * the consumer does: here a consumer holding it builds the index while {@code createIndexes} waits, and both finish.
 * Taken the other way round (key first, awards lock second) this was a deadlock, and PostgreSQL aborted one of the
 * two: a failed rebuild or a failed batch.
 */
class AwardsIndexLockOrderIT {
    private final TestEnvironment env = LaurelTestInfra.forClass(AwardsIndexLockOrderIT.class);

    @Test
    void theReadersIndexesWaitForAConsumerBuildingTheAwardsIndex() throws Exception {
        String s = "scoring_lock_order";
        ScoringProjection projection = new ScoringProjection(null, null);
        try (Connection c = env.openConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + s);
            projection.createTables(c, s); // as a rebuilt generation: the ledger without its key
        }
        try (Connection consumer = env.openConnection()) {
            consumer.setAutoCommit(false);
            try (Statement st = consumer.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '20s'");
                st.executeQuery("SELECT pg_advisory_xact_lock(hashtext('" + s + ".ledger_awards'))").close();
            }
            CompletableFuture<Void> readersIndexes = CompletableFuture.runAsync(() -> {
                try (Connection c = env.openConnection()) {
                    c.setAutoCommit(false);
                    try (Statement st = c.createStatement()) {
                        st.execute("SET LOCAL lock_timeout = '20s'");
                    }
                    projection.createIndexes(c, s);
                    c.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // createIndexes has started and waits for the awards lock (not holding the ledger)
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForAdvisoryLock(consumer));
            assertThat(readersIndexes).isNotDone();
            try (Statement st = consumer.createStatement()) {
                st.execute("CREATE INDEX IF NOT EXISTS ledger_awards ON " + s + ".ledger (tenant, user_id, event_type,"
                        + " recorded_at DESC) WHERE kind = 'awarded'");
            }
            consumer.commit();
            readersIndexes.get(30, TimeUnit.SECONDS);
        }
        try (Connection c = env.openConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = '" + s
                     + "' AND tablename = 'ledger' ORDER BY indexname")) {
            java.util.List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            assertThat(names).contains("ledger_awards", "ledger_pkey", "ledger_by_user");
        }
    }

    private static boolean waitingForAdvisoryLock(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
