package io.laurel.api;

/** A badge a user holds. */
public record UserBadge(String awardId, String badgeId, String name, java.time.Instant awardedAt, int count) {
}
