package io.laurel.leaderboard.ranking;

import java.util.ArrayList;
import java.util.List;

/**
 * The ranks of a page of rows already in ranking order. Competition ("1224"): equal scores share a rank,
 * and the next rank skips as many places as were shared. Dense ("1223"): equal scores share a rank, the
 * next is one more. By position (first to reach): every row its own rank, ties broken by who reached the
 * score first. A page is ranked from what is known of its first row, so pages agree with each other.
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

    /** Dense ranks; {@code firstRank} is 1 + the number of distinct scores ahead of the first row. */
    public static List<Ranked> dense(List<Scored> rows, long firstRank) {
        List<Ranked> out = new ArrayList<>(rows.size());
        long rank = firstRank;
        for (int i = 0; i < rows.size(); i++) {
            Scored row = rows.get(i);
            if (i > 0 && row.score() != rows.get(i - 1).score()) {
                rank++;
            }
            out.add(new Ranked(rank, row.userId(), row.score()));
        }
        return out;
    }

    /** Every row ranked by its position: {@code firstPosition} is the first row's 1-based position. */
    public static List<Ranked> byPosition(List<Scored> rows, long firstPosition) {
        List<Ranked> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(new Ranked(firstPosition + i, rows.get(i).userId(), rows.get(i).score()));
        }
        return out;
    }
}
