package io.laurel.api;

/** A declared event type. */
public record EventType(String id, String name, String description, boolean isSystem, java.util.Map<String, Object> eventDataSchema, java.time.Instant createdAt, int version) {
}
