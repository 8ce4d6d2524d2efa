package io.laurel.api;

/** A Discourse-style manual score event ({@code POST /v1/score-events}); {@code date} is {@code YYYY-MM-DD}. */
public record ScoreEventRequest(String userId, String date, long points, String description) {
}
