package io.laurel.api;

/** An event as the event log keeps it. */
public record LoggedEvent(String eventId, String eventType, String userId, com.fasterxml.jackson.databind.JsonNode eventData, String eventAction, String idempotenceKey, java.time.Instant occurredAt, java.time.Instant receivedAt) {
}
