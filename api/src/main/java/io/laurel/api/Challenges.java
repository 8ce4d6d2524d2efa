package io.laurel.api;

/** {@code GET /v1/challenges}: the tenant's active challenges. */
public record Challenges(java.util.List<Challenge> challenges) {
}
