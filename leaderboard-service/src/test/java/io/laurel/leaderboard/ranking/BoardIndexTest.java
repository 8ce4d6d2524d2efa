package io.laurel.leaderboard.ranking;

import io.laurel.leaderboard.ranking.BoardIndex.Member;
import io.laurel.leaderboard.ranking.BoardIndex.Ties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BoardIndexTest {

    /** The ranking as a brute force computes it: sort everything, count what is ahead. */
    private record Model(Ties ties, Map<String, Member> members) {
        List<Member> ordered(boolean desc) {
            Comparator<Member> byScore = Comparator.comparingLong(Member::score);
            if (desc) {
                byScore = byScore.reversed();
            }
            Comparator<Member> order = ties == Ties.FIRST_TO_REACH
                    ? byScore.thenComparingLong(Member::reachedAt).thenComparing(Member::id)
                    : byScore.thenComparing(Member::id);
            List<Member> all = new ArrayList<>(members.values());
            all.sort(order);
            return all;
        }

        /** Every member's rank, counted from the ordered list: what is strictly ahead, or the position. */
        Map<String, Long> ranks(boolean desc) {
            List<Member> all = ordered(desc);
            Map<String, Long> out = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                Member m = all.get(i);
                long ahead = 0;
                java.util.Set<Long> distinct = new java.util.HashSet<>();
                for (Member o : all) {
                    if (desc ? o.score() > m.score() : o.score() < m.score()) {
                        ahead++;
                        distinct.add(o.score());
                    }
                }
                out.put(m.id(), switch (ties) {
                    case FIRST_TO_REACH -> (long) i + 1;
                    case COMPETITION -> ahead + 1;
                    case DENSE -> (long) distinct.size() + 1;
                });
            }
            return out;
        }
    }

    private static Member member(String id, long score, long reachedAt) {
        return new Member(id, score, reachedAt);
    }

    @Test
    void competitionRanksShareAndSkip() {
        BoardIndex index = BoardIndex.of(Ties.COMPETITION, List.of(member("a", 100, 1), member("b", 90, 2),
                member("c", 90, 3), member("d", 80, 4)));
        assertThat(index.page(0, 10, true).entries()).extracting(Ranking.Ranked::rank).containsExactly(1L, 2L, 2L, 4L);
        assertThat(index.page(0, 10, true).entries()).extracting(Ranking.Ranked::userId)
                .containsExactly("a", "b", "c", "d");
        assertThat(index.rank("c", true)).contains(2L);
        assertThat(index.rank("d", true)).contains(4L);
        assertThat(index.rank("zz", true)).isEmpty();
    }

    @Test
    void denseRanksDoNotSkip() {
        BoardIndex index = BoardIndex.of(Ties.DENSE, List.of(member("a", 100, 1), member("b", 90, 2),
                member("c", 90, 3), member("d", 80, 4)));
        assertThat(index.page(0, 10, true).entries()).extracting(Ranking.Ranked::rank).containsExactly(1L, 2L, 2L, 3L);
        assertThat(index.rank("d", true)).contains(3L);
        assertThat(index.rank("d", false)).contains(1L);
        assertThat(index.rank("a", false)).contains(3L);
    }

    @Test
    void firstToReachBreaksTiesByWhoGotThereFirst() {
        BoardIndex index = BoardIndex.of(Ties.FIRST_TO_REACH, List.of(member("a", 90, 5), member("b", 90, 2),
                member("c", 100, 9)));
        assertThat(index.page(0, 10, true).entries()).extracting(Ranking.Ranked::userId).containsExactly("c", "b", "a");
        assertThat(index.rank("a", true)).contains(3L);
        // b raises its score again later: it reached 95 after a reached 90, and still leads a
        index.put(member("b", 95, 20));
        assertThat(index.page(0, 10, true).entries()).extracting(Ranking.Ranked::userId).containsExactly("c", "b", "a");
        index.put(member("a", 95, 21));
        assertThat(index.page(0, 10, true).entries()).extracting(Ranking.Ranked::userId).containsExactly("c", "b", "a");
        assertThat(index.rank("a", true)).contains(3L);
    }

    @Test
    void ascendingKeepsTheSameOrderWithinAScore() {
        BoardIndex index = BoardIndex.of(Ties.COMPETITION, List.of(member("a", 10, 1), member("b", 20, 1),
                member("c", 20, 1), member("d", 30, 1)));
        assertThat(index.page(0, 10, false).entries()).extracting(Ranking.Ranked::userId)
                .containsExactly("a", "b", "c", "d");
        assertThat(index.page(0, 10, false).entries()).extracting(Ranking.Ranked::rank)
                .containsExactly(1L, 2L, 2L, 4L);
        assertThat(index.page(2, 1, false).entries()).extracting(Ranking.Ranked::userId).containsExactly("c");
        assertThat(index.page(2, 1, false).entries()).extracting(Ranking.Ranked::rank).containsExactly(2L);
    }

    @Test
    void anUpdateMovesTheMemberAndItsOldScoreGoes() {
        BoardIndex index = BoardIndex.of(Ties.DENSE, List.of(member("a", 10, 1), member("b", 20, 1)));
        index.put(member("a", 30, 2));
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.rank("a", true)).contains(1L);
        assertThat(index.rank("b", true)).contains(2L);
        index.put(member("c", 5, 3));
        assertThat(index.rank("c", true)).contains(3L);
        assertThat(index.member("a")).contains(member("a", 30, 2));
    }

    @Test
    void aPageBeyondTheEndIsEmptyButKnowsTheTotal() {
        BoardIndex index = BoardIndex.of(Ties.COMPETITION, List.of(member("a", 10, 1)));
        assertThat(index.page(5, 10, true)).isEqualTo(new BoardIndex.Page(1, List.of()));
        assertThat(BoardIndex.of(Ties.DENSE, List.of()).page(0, 10, false)).isEqualTo(new BoardIndex.Page(0, List.of()));
    }

    @ParameterizedTest
    @EnumSource(Ties.class)
    void randomBoardsRankExactlyAsABruteForce(Ties ties) {
        Random random = new Random(ties.ordinal() * 7919L + 11);
        for (int board = 0; board < 20; board++) {
            int users = 1 + random.nextInt(board < 10 ? 40 : 1500);
            int scoreRange = 1 + random.nextInt(board % 2 == 0 ? 5 : 5000); // few distinct scores: many ties
            List<Member> initial = new ArrayList<>();
            Map<String, Member> model = new HashMap<>();
            for (int u = 0; u < users / 2; u++) {
                Member m = member("u" + random.nextInt(users * 2), random.nextInt(scoreRange) - scoreRange / 4,
                        random.nextInt(50));
                if (model.putIfAbsent(m.id(), m) == null) {
                    initial.add(m);
                }
            }
            BoardIndex index = BoardIndex.of(ties, initial);
            for (int step = 0; step < users * 2; step++) {
                Member m = member("u" + random.nextInt(users * 2), random.nextInt(scoreRange) - scoreRange / 4,
                        random.nextInt(50));
                index.put(m);
                model.put(m.id(), m);
            }
            Model brute = new Model(ties, model);
            for (boolean desc : new boolean[]{true, false}) {
                List<Member> all = brute.ordered(desc);
                Map<String, Long> ranks = brute.ranks(desc);
                assertThat(index.size()).isEqualTo(all.size());
                for (int q = 0; q < 30; q++) {
                    int offset = random.nextInt(all.size() + 2);
                    int limit = 1 + random.nextInt(60);
                    BoardIndex.Page page = index.page(offset, limit, desc);
                    List<Member> expected = all.subList(Math.min(offset, all.size()),
                            Math.min(all.size(), offset + limit));
                    assertThat(page.entries()).extracting(Ranking.Ranked::userId)
                            .as("%s %s page %d+%d", ties, desc ? "desc" : "asc", offset, limit)
                            .containsExactlyElementsOf(expected.stream().map(Member::id).toList());
                    for (int i = 0; i < expected.size(); i++) {
                        assertThat(page.entries().get(i).rank()).isEqualTo(ranks.get(expected.get(i).id()));
                    }
                    Member someone = all.get(random.nextInt(all.size()));
                    assertThat(index.rank(someone.id(), desc)).contains(ranks.get(someone.id()));
                    assertThat(index.position(someone.id(), desc)).contains((long) all.indexOf(someone));
                }
            }
        }
    }
}
