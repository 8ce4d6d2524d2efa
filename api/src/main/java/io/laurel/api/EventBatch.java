package io.laurel.api;

/** {@code POST /v1/events:batch}: up to 1000 events. */
public record EventBatch(java.util.List<Event> events) {
}
