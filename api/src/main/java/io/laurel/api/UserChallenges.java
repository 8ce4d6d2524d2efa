package io.laurel.api;

/** {@code GET /v1/users/{user_id}/challenges}: the user's progress in each active challenge. */
public record UserChallenges(String userId, java.util.List<ChallengeStanding> challenges) {
}
