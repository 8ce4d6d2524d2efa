package io.laurel.api;

/** {@code GET /v1/score-events}. */
public record ScoreEvents(java.util.List<ScoreEvent> scoreEvents) {
}
