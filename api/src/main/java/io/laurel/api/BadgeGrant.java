package io.laurel.api;

/** The answer to a manual grant: whether the badge was earned now (201), or not because the user holds it (200). */
public record BadgeGrant(boolean badgeEarned, String badgeId, String userId, String awardId, Integer count) {
}
