package io.laurel.badge.challenge.engine;

import java.util.HashMap;
import java.util.Map;

/** Progress in a map: for tests and for checking the projection against the engine. */
public final class InMemoryChallengeState implements ChallengeState {
    private final Map<String, ChallengeProgress> progress = new HashMap<>();

    private static String key(String tenant, String userId, String challengeId) {
        return tenant + '\u001F' + userId + '\u001F' + challengeId;
    }

    @Override
    public ChallengeProgress progress(String tenant, String userId, String challengeId) {
        return progress.getOrDefault(key(tenant, userId, challengeId), ChallengeProgress.NONE);
    }

    @Override
    public void save(String tenant, String userId, String challengeId, ChallengeProgress p, int stepsPassed,
                     int percent) {
        progress.put(key(tenant, userId, challengeId), p);
    }
}
