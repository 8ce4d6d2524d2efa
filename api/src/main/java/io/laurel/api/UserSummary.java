package io.laurel.api;

import java.util.List;

/**
 * {@code GET /v1/users/{user_id}}: the public profile id, points earned per currency, the level in the first level set
 * (and in each), the badges held and the progress in each active challenge.
 */
public record UserSummary(String userId, String profileUuid, List<EarnedPoints> points, Level level,
                          List<LevelStanding> levels, List<UserBadge> badges, List<ChallengeStanding> challenges) {
}
