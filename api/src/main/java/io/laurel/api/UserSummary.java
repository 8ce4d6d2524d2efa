package io.laurel.api;

import java.util.List;

/**
 * {@code GET /v1/users/{user_id}}: the public profile id, points earned per currency, the level in the first level set
 * (and in each), the badges held, the progress in each active challenge, the features unlocked and the display name.
 */
public record UserSummary(String userId, String profileUuid, List<EarnedPoints> points, Level level,
                          List<LevelStanding> levels, List<UserBadge> badges, List<ChallengeStanding> challenges,
                          List<UserFeature> features, String displayName) {
    public UserSummary(String userId, String profileUuid, List<EarnedPoints> points, Level level,
                       List<LevelStanding> levels, List<UserBadge> badges, List<ChallengeStanding> challenges) {
        this(userId, profileUuid, points, level, levels, badges, challenges, List.of(), null);
    }
}
