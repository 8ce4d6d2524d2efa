package io.laurel.api;

import java.time.Instant;

/** A badge on a public profile: when it was first awarded and how many times. */
public record ProfileBadge(String badgeId, String name, String imageUrl, Instant awardedAt, long count) {
}
