package io.laurel.badge.challenge.engine;

import io.laurel.events.Ids;

import java.time.Instant;

/**
 * What a user achieved in a challenge: a step passed ({@link #PROGRESSED}) or the challenge completed
 * ({@link #COMPLETED}). The id derives from tenant, user, challenge, attempt and step (or, for the completion,
 * from tenant, user and challenge alone: a challenge is completed once), so a replay yields the same ids and a
 * repeat is recognised downstream.
 *
 * @param source what made it: an event id, a journal entry id, or an award id
 */
public record ChallengeOutcome(String id, String kind, String tenant, String userId, String challengeId,
                               int challengeVersion, String stepId, int stepsPassed, int stepsTotal, int attempt,
                               Instant at, String source) {
    public static final String PROGRESSED = "challenge_progressed";
    public static final String COMPLETED = "challenge_completed";

    public boolean completed() {
        return COMPLETED.equals(kind);
    }

    static String stepId(String tenant, String userId, String challengeId, int attempt, String stepId) {
        return Ids.derived(tenant, userId, "challenge", challengeId, Integer.toString(attempt), stepId).toString();
    }

    /** The id of the completion, which is also the id of its {@code challenge.completed} event. */
    public static String completionId(String tenant, String userId, String challengeId) {
        return Ids.derived(tenant, userId, "challenge", challengeId, "completed").toString();
    }
}
