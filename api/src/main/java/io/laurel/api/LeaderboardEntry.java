package io.laurel.api;

/** One member of a leaderboard page. */
public record LeaderboardEntry(long rank, String userId, long score) {
}
