package io.laurel.api;

/** {@code GET /v1/users/{user_id}/badges}. */
public record UserBadges(String userId, String profileUuid, java.util.List<UserBadge> badges) {
}
