package io.laurel.api;

/** {@code GET /v1/challenges/{id}/leaders}: who completed it first, then by steps passed, then who passed them first. */
public record ChallengeLeaders(String challengeId, long total, java.util.List<ChallengeLeader> entries) {
}
