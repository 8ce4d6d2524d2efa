package io.laurel.api;

/** A manual score event. */
public record ScoreEvent(String id, String userId, String date, long points, String description, java.time.Instant createdAt, java.time.Instant updatedAt) {
}
