package io.laurel.api;

/** A redemption: {@code completed}, {@code held}, {@code released} or {@code expired}. */
public record Redemption(String id, String userId, long points, String currency, String description, String status, java.time.Instant createdAt, java.time.Instant updatedAt, java.time.Instant expiresAt, String releaseReason) {
}
