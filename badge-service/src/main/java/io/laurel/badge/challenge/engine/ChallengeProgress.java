package io.laurel.badge.challenge.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One user's progress in one challenge: the attempt (1 from the first progress; a time-boxed attempt that ran
 * out is followed by the next), when it started (the earliest {@code occurred_at} that counted in it), when the
 * challenge was completed (once), when it last progressed, and each step's progress by step id.
 */
public record ChallengeProgress(int attempt, Instant startedAt, Instant completedAt, Instant lastProgressAt,
                                Map<String, StepProgress> steps) {
    public static final ChallengeProgress NONE = new ChallengeProgress(0, null, null, null, Map.of());

    /**
     * One step: {@code value} is the events counted, the points earned or the current streak's length;
     * {@code lastPeriod} the streak's last day (or week); {@code reachedAt} when its own condition was first met
     * (it stays met), or null; {@code passedAt} when the step was passed, or null: in an unordered challenge when
     * it was reached, in an ordered one when it and every step before it had been reached.
     */
    public record StepProgress(long value, long lastPeriod, Instant reachedAt, Instant passedAt) {
        public static final long NO_PERIOD = Long.MIN_VALUE;
        public static final StepProgress NONE = new StepProgress(0, NO_PERIOD, null, null);

        public boolean passed() {
            return passedAt != null;
        }

        public boolean reached() {
            return reachedAt != null;
        }
    }

    public ChallengeProgress {
        steps = steps == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    public StepProgress step(String id) {
        return steps.getOrDefault(id, StepProgress.NONE);
    }

    public boolean started() {
        return startedAt != null;
    }

    public boolean completed() {
        return completedAt != null;
    }

    /** The next attempt, with nothing passed yet. */
    ChallengeProgress restarted() {
        return new ChallengeProgress(attempt, null, null, lastProgressAt, Map.of());
    }
}
