package io.laurel.scoring.rule;

/** What a user has used of one limit: points awarded and number of awards. */
public record CapUsage(long points, long count) {
    public static final CapUsage NONE = new CapUsage(0, 0);

    public CapUsage plus(long morePoints, long moreCount) {
        return new CapUsage(points + morePoints, count + moreCount);
    }
}
