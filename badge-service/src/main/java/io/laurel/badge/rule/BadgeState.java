package io.laurel.badge.rule;

/** Where the engine keeps each user's progress toward each badge (in memory in tests, PostgreSQL in the projection). */
public interface BadgeState {
    Progress progress(String tenant, String userId, String badgeId);

    void save(String tenant, String userId, String badgeId, Progress progress);
}
