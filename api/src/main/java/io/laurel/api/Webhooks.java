package io.laurel.api;

/** {@code GET /v1/admin/webhooks}. */
public record Webhooks(java.util.List<Webhook> webhooks) {
}
