package io.laurel.api;

/** {@code GET /v1/admin/webhooks/{id}/deliveries}: the latest 100, newest first. */
public record Deliveries(java.util.List<Delivery> deliveries) {
}
