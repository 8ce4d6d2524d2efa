package io.laurel.api;

/** {@code GET /v1/notifications}. */
public record Notifications(java.util.List<Notification> notifications, Long unread) {
}
