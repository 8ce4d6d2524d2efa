package io.laurel.leaderboard.ranking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The scores of one period of one leaderboard, in memory and in ranking order, so a page, a rank or the
 * places around a member are found without scanning: members by score (highest first), ties by who
 * reached the score first on a first-to-reach board, then by member id; and, for dense ranks, the
 * distinct scores. Readers share a lock; the projection's updates take it alone.
 */
public final class BoardIndex {
    /** A member's score; {@code reachedAt} in microseconds since the epoch (when it last changed). */
    public record Member(String id, long score, long reachedAt) {
    }

    /** The tie strategies, as the index needs them. */
    public enum Ties {
        COMPETITION, DENSE, FIRST_TO_REACH
    }

    private static final Comparator<Member> BY_SCORE = Comparator.comparingLong(Member::score).reversed();
    private static final Comparator<Member> BY_ID = BY_SCORE.thenComparing(Member::id);
    private static final Comparator<Member> BY_REACH = BY_SCORE.thenComparingLong(Member::reachedAt)
            .thenComparing(Member::id);

    private final Ties ties;
    private final Comparator<Member> order;
    private final Map<String, Member> members;
    private final SortedBlocks<Member> ranking;
    /** Distinct scores, highest first, and how many members hold each. */
    private final SortedBlocks<Long> scores;
    private final Map<Long, int[]> holders;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Counts the changes: an answer computed at one version holds until the next. */
    private volatile long version;

    private BoardIndex(Ties ties, List<Member> rows) {
        this.ties = ties;
        this.order = ties == Ties.FIRST_TO_REACH ? BY_REACH : BY_ID;
        this.members = new HashMap<>(Math.max(16, rows.size() * 4 / 3 + 1));
        List<Member> sorted = new ArrayList<>(rows.size());
        this.holders = new HashMap<>();
        for (Member m : rows) {
            Member before = members.put(m.id(), m);
            if (before != null) {
                throw new IllegalArgumentException("member " + m.id() + " twice");
            }
            sorted.add(m);
            holders.computeIfAbsent(m.score(), s -> new int[1])[0]++;
        }
        sorted.sort(order);
        this.ranking = SortedBlocks.of(sorted, order);
        List<Long> distinct = new ArrayList<>(holders.keySet());
        distinct.sort(Comparator.reverseOrder());
        this.scores = SortedBlocks.of(distinct, Comparator.reverseOrder());
    }

    /** An index of {@code rows} (one per member, any order). */
    public static BoardIndex of(Ties ties, List<Member> rows) {
        return new BoardIndex(ties, rows);
    }

    public Ties ties() {
        return ties;
    }

    /** Increases with every change of a member's score. */
    public long version() {
        return version;
    }

    /** Sets a member's score (adds the member when new). */
    public void put(Member m) {
        lock.writeLock().lock();
        try {
            Member before = members.put(m.id(), m);
            if (before != null) {
                if (before.equals(m)) {
                    return;
                }
                ranking.remove(before);
                int[] n = holders.get(before.score());
                if (--n[0] == 0) {
                    holders.remove(before.score());
                    scores.remove(before.score());
                }
            }
            ranking.add(m);
            int[] n = holders.computeIfAbsent(m.score(), s -> new int[1]);
            if (n[0]++ == 0) {
                scores.add(m.score());
            }
            version++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return ranking.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<Member> member(String id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(members.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A page of the ranking with each member's rank; {@code desc}: highest scores first. */
    public record Page(long total, List<Ranking.Ranked> entries) {
    }

    public Page page(long offset, int limit, boolean desc) {
        lock.readLock().lock();
        try {
            int size = ranking.size();
            if (offset >= size) {
                return new Page(size, List.of());
            }
            List<Member> rows = desc ? ranking.range((int) offset, limit) : ascending((int) offset, limit);
            List<Ranking.Scored> scored = new ArrayList<>(rows.size());
            for (Member m : rows) {
                scored.add(new Ranking.Scored(m.id(), m.score()));
            }
            long first = rows.get(0).score();
            List<Ranking.Ranked> ranked = switch (ties) {
                case FIRST_TO_REACH -> Ranking.byPosition(scored, offset + 1);
                case DENSE -> Ranking.dense(scored, distinctAhead(first, desc) + 1);
                case COMPETITION -> Ranking.rank(scored, ahead(first, desc) + 1, offset + 1);
            };
            return new Page(size, ranked);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The member's rank under the tie strategy, or empty when it has no score. */
    public Optional<Long> rank(String id, boolean desc) {
        lock.readLock().lock();
        try {
            Member m = members.get(id);
            if (m == null) {
                return Optional.empty();
            }
            return Optional.of(switch (ties) {
                case FIRST_TO_REACH -> position(m, desc) + 1;
                case DENSE -> distinctAhead(m.score(), desc) + 1;
                case COMPETITION -> ahead(m.score(), desc) + 1;
            });
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The member's 0-based place in the ranking's order, or empty when it has no score. */
    public Optional<Long> position(String id, boolean desc) {
        lock.readLock().lock();
        try {
            Member m = members.get(id);
            return m == null ? Optional.empty() : Optional.of(position(m, desc));
        } finally {
            lock.readLock().unlock();
        }
    }

    private long position(Member m, boolean desc) {
        int inDesc = ranking.countBefore(e -> order.compare(e, m));
        if (desc) {
            return inDesc;
        }
        // ascending: the lower scores, then this score's members in the same order as descending
        int higher = higher(m.score());
        return below(m.score()) + (inDesc - higher);
    }

    /** Members strictly ahead of {@code score}: higher scores (desc) or lower ones (asc). */
    private long ahead(long score, boolean desc) {
        return desc ? higher(score) : below(score);
    }

    /** Distinct scores strictly ahead of {@code score}. */
    private long distinctAhead(long score, boolean desc) {
        int higher = scores.countBefore(s -> s > score ? -1 : 0);
        if (desc) {
            return higher;
        }
        int atOrAbove = scores.countBefore(s -> s >= score ? -1 : 0);
        return scores.size() - atOrAbove;
    }

    private int higher(long score) {
        return ranking.countBefore(e -> e.score() > score ? -1 : 0);
    }

    private int below(long score) {
        return ranking.size() - ranking.countBefore(e -> e.score() >= score ? -1 : 0);
    }

    /**
     * Up to {@code limit} members from ascending position {@code offset}: lowest score first, and within
     * one score the same order as descending. Walks score by score from the end of the ranking.
     */
    private List<Member> ascending(int offset, int limit) {
        int size = ranking.size();
        List<Member> out = new ArrayList<>(Math.min(limit, size - offset));
        int pos = offset;
        while (out.size() < limit && pos < size) {
            long score = ranking.get(size - 1 - pos).score();
            int groupStart = higher(score);
            int groupEnd = size - below(score);
            int ascStart = size - groupEnd;
            int from = groupStart + (pos - ascStart);
            List<Member> part = ranking.range(from, Math.min(groupEnd - from, limit - out.size()));
            out.addAll(part);
            pos += part.size();
        }
        return out;
    }
}
