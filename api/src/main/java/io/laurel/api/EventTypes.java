package io.laurel.api;

/** {@code GET /v1/admin/event-types}. */
public record EventTypes(java.util.List<EventType> eventTypes) {
}
