package io.laurel.leaderboard.ranking;

import io.laurel.leaderboard.ranking.Ranking.Ranked;
import io.laurel.leaderboard.ranking.Ranking.Scored;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RankingTest {

    private static List<Scored> scores(long... scores) {
        List<Scored> rows = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            rows.add(new Scored("u" + (i + 1), scores[i]));
        }
        return rows;
    }

    private static List<Long> ranks(List<Ranked> ranked) {
        return ranked.stream().map(Ranked::rank).toList();
    }

    /** What a page query supplies: 1 + how many rows of the whole ranking are strictly ahead of the first row. */
    private static long firstRankOf(List<Scored> all, int offset) {
        long ahead = 0;
        for (int i = 0; i < offset; i++) {
            if (all.get(i).score() != all.get(offset).score()) {
                ahead++;
            }
        }
        return 1 + ahead;
    }

    @Test
    void equalScoresShareARankAndTheNextRankSkips() {
        assertThat(ranks(Ranking.rank(scores(100, 90, 90, 80), 1, 1))).containsExactly(1L, 2L, 2L, 4L);
    }

    @Test
    void distinctScoresRankByPosition() {
        assertThat(ranks(Ranking.rank(scores(50, 40, 30, 20, 10), 1, 1))).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void threeWayTieSkipsTwoRanks() {
        assertThat(ranks(Ranking.rank(scores(100, 90, 90, 90, 80, 70), 1, 1)))
                .containsExactly(1L, 2L, 2L, 2L, 5L, 6L);
    }

    @Test
    void tieAtTheTopSharesRankOne() {
        assertThat(ranks(Ranking.rank(scores(50, 50, 40), 1, 1))).containsExactly(1L, 1L, 3L);
    }

    @Test
    void tieAtTheBottomSharesTheLastRank() {
        assertThat(ranks(Ranking.rank(scores(50, 40, 30, 30), 1, 1))).containsExactly(1L, 2L, 3L, 3L);
    }

    @Test
    void successiveTiesEachSkip() {
        assertThat(ranks(Ranking.rank(scores(9, 9, 7, 7, 7, 5), 1, 1))).containsExactly(1L, 1L, 3L, 3L, 3L, 6L);
    }

    @Test
    void allEqualScoresShareRankOne() {
        assertThat(ranks(Ranking.rank(scores(7, 7, 7, 7), 1, 1))).containsExactly(1L, 1L, 1L, 1L);
    }

    @Test
    void allEqualScoresOnALaterPageKeepTheSharedRank() {
        // Whole ranking: ten users on 7 points; the page holds positions 5 to 7.
        assertThat(ranks(Ranking.rank(scores(7, 7, 7), 1, 5))).containsExactly(1L, 1L, 1L);
    }

    @Test
    void emptyPageHasNoRows() {
        assertThat(Ranking.rank(List.of(), 1, 1)).isEmpty();
        assertThat(Ranking.rank(List.of(), 4, 11)).isEmpty();
    }

    @Test
    void singleRowTakesTheFirstRank() {
        assertThat(Ranking.rank(scores(10), 1, 1)).containsExactly(new Ranked(1, "u1", 10));
        assertThat(Ranking.rank(scores(10), 3, 5)).containsExactly(new Ranked(3, "u1", 10));
    }

    @Test
    void rowsKeepTheirUserAndScoreInOrder() {
        List<Ranked> ranked = Ranking.rank(List.of(new Scored("ann", 30), new Scored("bob", 20), new Scored("cy", 20)),
                1, 1);

        assertThat(ranked).containsExactly(new Ranked(1, "ann", 30), new Ranked(2, "bob", 20), new Ranked(2, "cy", 20));
    }

    @Test
    void pageStartingMidTieTakesTheTiesRank() {
        // Whole ranking 100, 90, 90, 90, 80: the page at offset 2 starts on the second 90 (rank 2, position 3).
        List<Ranked> page = Ranking.rank(scores(90, 90, 80), 2, 3);

        assertThat(ranks(page)).containsExactly(2L, 2L, 5L);
    }

    @Test
    void pageStartingMidTieRanksTheNextScoreByItsPosition() {
        // Whole ranking 10, 10, 10, 10, 3, 2: page of size 3 at offset 3 holds positions 4 to 6.
        assertThat(ranks(Ranking.rank(scores(10, 3, 2), 1, 4))).containsExactly(1L, 5L, 6L);
    }

    @Test
    void pageStartingRightAfterATieTakesItsPositionAsRank() {
        // Whole ranking 100, 90, 90, 80, 70: the page at offset 3 starts on 80.
        assertThat(ranks(Ranking.rank(scores(80, 70), 4, 4))).containsExactly(4L, 5L);
    }

    @Test
    void pagesAgreeWithTheWholeRanking() {
        List<Scored> all = scores(100, 90, 90, 90, 80, 80, 70, 60, 60, 60, 60, 50);
        List<Long> whole = ranks(Ranking.rank(all, 1, 1));
        assertThat(whole).containsExactly(1L, 2L, 2L, 2L, 5L, 5L, 7L, 8L, 8L, 8L, 8L, 12L);

        for (int size = 1; size <= all.size(); size++) {
            for (int offset = 0; offset < all.size(); offset += size) {
                List<Scored> rows = all.subList(offset, Math.min(all.size(), offset + size));

                List<Long> page = ranks(Ranking.rank(rows, firstRankOf(all, offset), offset + 1));

                assertThat(page).as("page of %d at offset %d", size, offset)
                        .isEqualTo(whole.subList(offset, offset + rows.size()));
            }
        }
    }

    @Test
    void ascendingScoresRankTheSameWay() {
        // Lowest first (e.g. fastest time): the caller orders by increasing score, ties still share a rank.
        assertThat(ranks(Ranking.rank(scores(10, 20, 20, 30), 1, 1))).containsExactly(1L, 2L, 2L, 4L);
    }

    @Test
    void ascendingPageStartingMidTie() {
        // Whole ranking 5, 8, 8, 8, 9 (increasing): the page at offset 2 starts on the second 8.
        assertThat(ranks(Ranking.rank(scores(8, 8, 9), 2, 3))).containsExactly(2L, 2L, 5L);
    }

    @Test
    void negativeAndZeroScoresRank() {
        assertThat(ranks(Ranking.rank(scores(0, 0, -5, -5, -10), 1, 1))).containsExactly(1L, 1L, 3L, 3L, 5L);
    }

    @Test
    void ranksAreNeverBelowTheFirstRankNorAbovePositions() {
        List<Ranked> page = Ranking.rank(scores(40, 40, 30, 20, 20, 20, 10), 6, 8);

        for (int i = 0; i < page.size(); i++) {
            assertThat(page.get(i).rank()).isBetween(6L, 8L + i);
        }
        assertThat(ranks(page)).isSorted();
    }

    @Test
    void denseRanksShareAndThenCountOnByOne() {
        assertThat(ranks(Ranking.dense(scores(50, 40, 40, 30, 30, 30, 10), 1))).containsExactly(1L, 2L, 2L, 3L, 3L, 3L, 4L);
    }

    @Test
    void byPositionEveryRowHasItsOwnRank() {
        assertThat(ranks(Ranking.byPosition(scores(50, 40, 40, 30), 11))).containsExactly(11L, 12L, 13L, 14L);
    }

    /** Random boards: every page of every strategy, ranked from its first row, equals a brute-force ranking. */
    @Test
    void randomPagesAgreeWithBruteForceForEveryStrategy() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(1, 60);
            List<Scored> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(new Scored(String.format("u%03d", i), random.nextInt(0, 8)));
            }
            all.sort(java.util.Comparator.comparingLong(Scored::score).reversed().thenComparing(Scored::userId));
            int offset = random.nextInt(n);
            int limit = random.nextInt(1, n - offset + 1);
            List<Scored> page = all.subList(offset, offset + limit);
            long first = page.get(0).score();
            long ahead = all.stream().filter(r -> r.score() > first).count();
            long distinctAhead = all.stream().filter(r -> r.score() > first).map(Scored::score).distinct().count();
            List<Ranked> competition = Ranking.rank(page, ahead + 1, offset + 1);
            List<Ranked> dense = Ranking.dense(page, distinctAhead + 1);
            List<Ranked> position = Ranking.byPosition(page, offset + 1);
            for (int i = 0; i < page.size(); i++) {
                Scored row = page.get(i);
                long better = all.stream().filter(r -> r.score() > row.score()).count();
                long distinctBetter = all.stream().filter(r -> r.score() > row.score()).map(Scored::score).distinct().count();
                assertThat(competition.get(i).rank()).isEqualTo(better + 1);
                assertThat(dense.get(i).rank()).isEqualTo(distinctBetter + 1);
                assertThat(position.get(i).rank()).isEqualTo(all.indexOf(row) + 1);
            }
        }
    }
}
