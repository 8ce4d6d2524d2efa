package io.laurel.api;

/** The answer to a manual grant: whether the badge was earned now. */
public record BadgeGrant(boolean badgeEarned) {
}
