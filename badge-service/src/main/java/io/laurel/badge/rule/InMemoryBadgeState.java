package io.laurel.badge.rule;

import java.util.HashMap;
import java.util.Map;

/** Progress in a map: for tests and for checking the projection against the engine. */
public final class InMemoryBadgeState implements BadgeState {
    private final Map<String, Progress> progress = new HashMap<>();

    private static String key(String tenant, String userId, String badgeId) {
        return tenant + '\u001F' + userId + '\u001F' + badgeId;
    }

    @Override
    public Progress progress(String tenant, String userId, String badgeId) {
        return progress.getOrDefault(key(tenant, userId, badgeId), Progress.NONE);
    }

    @Override
    public void save(String tenant, String userId, String badgeId, Progress p) {
        progress.put(key(tenant, userId, badgeId), p);
    }
}
