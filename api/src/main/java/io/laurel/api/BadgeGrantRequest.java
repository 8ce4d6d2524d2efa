package io.laurel.api;

/** {@code POST /v1/badges/{badge_id}/grants}. */
public record BadgeGrantRequest(String userId) {
}
