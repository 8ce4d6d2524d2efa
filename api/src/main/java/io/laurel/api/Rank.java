package io.laurel.api;

/** {@code GET /v1/leaderboards/{id}/users/{user_id}}. */
public record Rank(String leaderboardId, java.time.Instant periodStart, String userId, long rank, long score, long total) {
}
