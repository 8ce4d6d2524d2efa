package io.laurel.api;

/** One member of a leaderboard page; {@code displayName} when the user has one ({@code PUT /v1/users/{id}/profile}). */
public record LeaderboardEntry(long rank, String userId, long score, String displayName) {
    public LeaderboardEntry(long rank, String userId, long score) {
        this(rank, userId, score, null);
    }
}
