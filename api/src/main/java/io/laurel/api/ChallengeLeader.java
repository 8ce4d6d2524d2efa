package io.laurel.api;

import java.time.Instant;

/** A user among a challenge's leaders. */
public record ChallengeLeader(long rank, String userId, String status, int stepsPassed, int stepsTotal, int percent,
                              int attempt, Instant startedAt, Instant completedAt) {
}
