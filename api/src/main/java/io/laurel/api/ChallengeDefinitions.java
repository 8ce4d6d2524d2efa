package io.laurel.api;

/** {@code GET /v1/admin/challenges}. */
public record ChallengeDefinitions(java.util.List<ChallengeDefinition> challenges) {
}
