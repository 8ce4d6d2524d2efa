package io.laurel.leaderboard.board;

import java.util.ArrayList;
import java.util.List;

/**
 * Competition ranking ("1224"): equal scores share a rank, and the next rank skips as many places as
 * were shared. A page is ranked from the rank of its first row, so pages agree with each other.
 */
public final class Ranking {
    private Ranking() {
    }

    public record Scored(String userId, long score) {
    }

    public record Ranked(long rank, String userId, long score) {
    }

    /**
     * @param rows            the page, in ranking order
     * @param firstRank       rank of the first row (1 + how many rank strictly ahead of it)
     * @param firstPosition   1-based position of the first row in the whole ranking (offset + 1)
     */
    public static List<Ranked> rank(List<Scored> rows, long firstRank, long firstPosition) {
        List<Ranked> out = new ArrayList<>(rows.size());
        long rank = firstRank;
        for (int i = 0; i < rows.size(); i++) {
            Scored row = rows.get(i);
            if (i > 0 && row.score() != rows.get(i - 1).score()) {
                rank = firstPosition + i;
            }
            out.add(new Ranked(rank, row.userId(), row.score()));
        }
        return out;
    }
}
