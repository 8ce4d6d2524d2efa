package io.laurel.api;

import java.time.Instant;

/** A user's progress in one step of a challenge, shown up to its target. */
public record StepStanding(String stepId, String name, String kind, boolean passed, Instant passedAt, long progress,
                           long target, int weight) {
}
