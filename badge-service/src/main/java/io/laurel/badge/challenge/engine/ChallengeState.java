package io.laurel.badge.challenge.engine;

/** Where the engine keeps each user's progress in each challenge (in memory in tests, PostgreSQL in the projection). */
public interface ChallengeState {
    ChallengeProgress progress(String tenant, String userId, String challengeId);

    /**
     * Saves the progress; {@code stepsPassed} is how many of the challenge's current steps it has passed, and
     * {@code percent} what they make of all by weight (the order of a challenge's top users).
     */
    void save(String tenant, String userId, String challengeId, ChallengeProgress progress, int stepsPassed, int percent);
}
