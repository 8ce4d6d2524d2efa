package io.laurel.api;

/** A notification of an achievement. */
public record Notification(String id, String userId, String kind, String title, java.util.Map<String, Object> data, boolean read, java.time.Instant createdAt, java.time.Instant readAt) {
}
