package io.laurel.api;

import java.time.Instant;
import java.util.List;

/**
 * A user's progress in a challenge: {@code status} {@code not_started}, {@code in_progress}, {@code completed} or
 * {@code expired}; {@code percent} of the steps' weights passed; {@code canRestart} when a time-boxed attempt ran out
 * before the challenge's end.
 */
public record ChallengeStanding(String challengeId, String name, String userId, String status, boolean ordered,
                                int stepsPassed, int stepsTotal, int percent, int attempt, Instant startedAt,
                                Instant completedAt, Instant deadline, Instant timeBoxEndsAt, boolean canRestart,
                                List<StepStanding> steps) {
    public ChallengeStanding ofUser(String user) {
        return new ChallengeStanding(challengeId, name, user, status, ordered, stepsPassed, stepsTotal, percent, attempt,
                startedAt, completedAt, deadline, timeBoxEndsAt, canRestart, steps);
    }
}
