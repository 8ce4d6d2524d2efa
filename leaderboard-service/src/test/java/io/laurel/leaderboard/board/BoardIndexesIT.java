package io.laurel.leaderboard.board;

import io.laurel.leaderboard.ranking.BoardIndex;

import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory rankings follow the generation's changes table, which every instance's projection writes: no
 * change is skipped when transactions commit out of transaction-id order, a change the loading snapshot already
 * held is not applied again, and an instance behind the pruned horizon reloads.
 */
class BoardIndexesIT {
    private static final String S = "lb_follow";
    private final TestEnvironment env = LaurelTestInfra.forClass(BoardIndexesIT.class);
    private final LeaderboardDefinition board = LeaderboardDefinition.allTime("acme");
    private final Instant period = board.calendarPeriod().start(Instant.now(), board.zone());
    private PGSimpleDataSource dataSource;
    private BoardIndexes indexes;
    private final List<String> streamed = new ArrayList<>();

    @BeforeEach
    void schema() throws Exception {
        try (Connection c = env.openConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + S + " CASCADE");
            st.execute("CREATE SCHEMA " + S);
            new LeaderboardProjection(env.topics(), null).createTables(c, S);
        }
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(env.jdbcUrl());
        dataSource.setUser(env.username());
        dataSource.setPassword(env.password());
        BoardChanges streams = new BoardChanges();
        streams.changes().subscribe(ch -> streamed.add(ch.tenant() + "/" + ch.board()));
        indexes = new BoardIndexes(dataSource, null, null, streams);
    }

    /** What the projection writes in a batch's transaction: the member's score, and the change. */
    private void write(Connection c, String member, long score) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + S + ".scores (tenant, board, period_start, user_id,"
                + " score, reached_at) VALUES ('acme', 'all-time', ?, ?, ?, now()) ON CONFLICT (tenant, board, period_start,"
                + " user_id) DO UPDATE SET score = EXCLUDED.score")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(period));
            ps.setString(2, member);
            ps.setLong(3, score);
            ps.executeUpdate();
        }
        change(c, member, score);
    }

    private void change(Connection c, String member, long score) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + S + "." + BoardIndexes.CHANGES + " (tenant, board,"
                + " period_start, user_id, score, reached_at) VALUES ('acme', 'all-time', ?, ?, ?, now())")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(period));
            ps.setString(2, member);
            ps.setLong(3, score);
            ps.executeUpdate();
        }
    }

    private void commit(String member, long score) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            write(c, member, score);
        }
    }

    private BoardIndex index() throws Exception {
        return indexes.index(S, board, period).get(10, TimeUnit.SECONDS);
    }

    private Optional<Long> score(String member) throws Exception {
        return index().member(member).map(BoardIndex.Member::score);
    }

    @Test
    void aTransactionCommittingAfterALaterOneIsNotSkippedNorDoesItHoldTheOthersBack() throws Exception {
        assertThat(index().size()).isZero();
        try (Connection first = dataSource.getConnection()) {
            first.setAutoCommit(false);
            write(first, "ann", 10); // the earlier transaction id, still running
            commit("bob", 20);       // a later one, committed first
            indexes.follow();
            assertThat(score("bob")).contains(20L); // not held back by the one still running
            assertThat(score("ann")).isEmpty();
            indexes.follow();
            first.commit();
        }
        indexes.follow();
        assertThat(score("ann")).contains(10L);
        assertThat(score("bob")).contains(20L);
        assertThat(index().rank("bob", true)).contains(1L);
        commit("ann", 30);
        indexes.follow();
        assertThat(score("ann")).contains(30L);
        assertThat(index().rank("ann", true)).contains(1L);
        assertThat(streamed).contains("acme/all-time");
    }

    @Test
    void aChangeIsANoticeTheScoreComesFromTheScoresTableAndTheLoadMeetsTheNotices() throws Exception {
        try (Connection older = dataSource.getConnection()) {
            older.setAutoCommit(false);
            write(older, "carol", 5); // holds the horizon below the commits that follow
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                write(c, "ann", 30);
                change(c, "ann", 999); // a notice whose value is not the member's score: the score counts
                c.commit();
            }
            assertThat(score("ann")).contains(30L); // loaded now: the snapshot holds ann's transaction
            older.commit();
        }
        indexes.follow();
        assertThat(score("ann")).contains(30L);
        assertThat(score("carol")).contains(5L); // not in the snapshot: applied
    }

    @Test
    void anInstanceBehindThePrunedChangesReloadsItsRankings() throws Exception {
        commit("ann", 10);
        BoardIndex before = index();
        assertThat(before.member("ann")).isPresent();
        commit("bob", 20);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            // another instance pruned everything up to now
            st.execute("INSERT INTO " + S + "." + BoardIndexes.CHANGES + "_horizon VALUES (1, pg_current_xact_id())");
            st.execute("DELETE FROM " + S + "." + BoardIndexes.CHANGES);
        }
        indexes.follow();
        BoardIndex after = index();
        assertThat(after).isNotSameAs(before);
        assertThat(after.member("bob").map(BoardIndex.Member::score)).contains(20L);
        commit("carol", 7);
        indexes.follow();
        assertThat(score("carol")).contains(7L);
    }

    @Test
    void changesEveryInstanceHadTimeToReadArePrunedAndAnInstanceBehindThemReloads() throws Exception {
        BoardIndexes stalled = new BoardIndexes(dataSource, null, null, new BoardChanges());
        assertThat(stalled.index(S, board, period).get(10, TimeUnit.SECONDS).size()).isZero(); // then stops reading
        indexes.pruning(java.time.Duration.ZERO, java.time.Duration.ZERO);
        assertThat(index().size()).isZero();
        commit("ann", 10);
        commit("bob", 20);
        indexes.follow(); // reads both, and notes the horizon it saw
        indexes.prune();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM " + S + "." + BoardIndexes.CHANGES)) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        assertThat(score("bob")).contains(20L);
        // the stalled instance missed the pruned changes: it notices, and reloads from the scores
        stalled.follow();
        assertThat(stalled.index(S, board, period).get(10, TimeUnit.SECONDS).member("bob").map(BoardIndex.Member::score))
                .contains(20L);
    }
}
