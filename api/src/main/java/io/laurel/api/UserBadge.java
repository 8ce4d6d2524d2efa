package io.laurel.api;

import java.time.Instant;

/** A badge a user holds: the latest award's id and time, how many times it was awarded; expired awards left out. */
public record UserBadge(String awardId, String badgeId, String name, String description, String imageUrl,
                        Instant awardedAt, long count, Instant expiresAt) {
}
