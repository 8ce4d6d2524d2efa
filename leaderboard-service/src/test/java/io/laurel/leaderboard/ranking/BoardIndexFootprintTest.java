package io.laurel.leaderboard.ranking;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a board's in-memory index costs per member (docs/scaling.md sizes leaderboard instances with it): a board
 * of 1,000,000 members ("user-<n>" ids, about five members per score, as the bench's board) is measured as the
 * heap it keeps reachable, after collections, and must stay under 400 bytes a member.
 */
class BoardIndexFootprintTest {
    private static final int MEMBERS = 1_000_000;

    @Test
    void aMillionMembersFitInAFewHundredMegabytes() {
        long before = usedAfterGc();
        List<BoardIndex.Member> rows = new ArrayList<>(MEMBERS);
        for (int i = 0; i < MEMBERS; i++) {
            rows.add(new BoardIndex.Member("user-" + i, 1 + (i * 7919L) % 200_000, i));
        }
        BoardIndex index = BoardIndex.of(BoardIndex.Ties.COMPETITION, rows);
        rows = null;
        long after = usedAfterGc();
        assertThat(index.size()).isEqualTo(MEMBERS);
        long perMember = (after - before) / MEMBERS;
        System.out.printf("board index footprint: %d bytes per member, %d MiB for %,d members (%s)%n", perMember,
                (after - before) >> 20, MEMBERS, Runtime.version());
        assertThat(perMember).as("bytes per member").isBetween(40L, 400L);
        assertThat(index.rank("user-0", true)).isPresent();
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
