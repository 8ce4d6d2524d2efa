package io.laurel.api;

/** An event as the event log keeps it. */
public record LoggedEvent(String eventId, String eventType, String userId, java.util.Map<String, Object> eventData, java.time.Instant occurredAt, java.time.Instant receivedAt) {
}
