package io.laurel.badge.rule;

import java.util.List;

/**
 * What one user has done toward one badge: {@code value} is the events counted, the points earned, or the
 * length of the current streak; {@code lastPeriod} the last day (or week) of the streak; {@code awards} how
 * many times the badge was awarded; {@code sessions} the sessions of an attendance badge attended.
 */
public record Progress(long value, long lastPeriod, int awards, List<String> sessions) {
    public static final long NO_PERIOD = Long.MIN_VALUE;
    public static final Progress NONE = new Progress(0, NO_PERIOD, 0, List.of());

    public Progress {
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    public Progress withValue(long v) {
        return new Progress(v, lastPeriod, awards, sessions);
    }

    Progress withStreak(long v, long period) {
        return new Progress(v, period, awards, sessions);
    }

    Progress awarded() {
        return new Progress(value, lastPeriod, awards + 1, sessions);
    }

    Progress attended(String session) {
        List<String> more = new java.util.ArrayList<>(sessions);
        more.add(session);
        return new Progress(value + 1, lastPeriod, awards, more);
    }
}
