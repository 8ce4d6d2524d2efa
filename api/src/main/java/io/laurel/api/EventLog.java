package io.laurel.api;

/** {@code GET /v1/event-log}: newest first. */
public record EventLog(java.util.List<LoggedEvent> events) {
}
