package io.laurel.api;

/** {@code POST /v1/notifications/{id}/read}. */
public record NotificationRead(String id, boolean read) {
}
