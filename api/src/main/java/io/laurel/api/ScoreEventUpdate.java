package io.laurel.api;

/** {@code PUT /v1/score-events}: the points and description of an existing one. */
public record ScoreEventUpdate(String id, long points, String description) {
}
