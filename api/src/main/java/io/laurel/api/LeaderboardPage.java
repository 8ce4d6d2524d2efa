package io.laurel.api;

/** A page of a leaderboard in one period ({@code GET /v1/leaderboards/{id}}, also around a user, and each update of the live stream with {@code user} when one is watched). */
public record LeaderboardPage(String leaderboardId, String period, java.time.Instant periodStart, String tieStrategy, long total, java.util.List<LeaderboardEntry> entries, String userId, java.util.Map<String, Object> user) {
}
