package io.laurel.api;

/** {@code GET /v1/notifications?user_id=}: newest first, with how many are unread. */
public record Notifications(String userId, long unread, java.util.List<Notification> notifications) {
}
