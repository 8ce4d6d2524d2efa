package io.laurel.api;

/** {@code POST /v1/badges/{badge_id}/grants}: the user who is granted the badge. */
public record BadgeGrantRequest(@UserId String userId) {
}
