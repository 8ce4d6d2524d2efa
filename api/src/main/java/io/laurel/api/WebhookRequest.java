package io.laurel.api;

/**
 * {@code POST /v1/admin/webhooks}: where achievements are delivered (placeholders such as {@code {user_id}} in the path
 * or query), and which kinds (all when absent).
 */
public record WebhookRequest(String url, java.util.List<String> kinds) {
}
