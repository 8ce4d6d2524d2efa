package io.laurel.api;

/** What completing a challenge gives: points of a currency, a badge, or both. */
public record ChallengeReward(Long points, String currency, String badgeId) {
}
