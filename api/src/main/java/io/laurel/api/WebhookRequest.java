package io.laurel.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * {@code POST /v1/admin/webhooks}: where achievements are delivered (an http or https URL; placeholders such as
 * {@code {user_id}} in the path or query), and which kinds (all when absent).
 */
public record WebhookRequest(
        @NotNull(message = URL) @Size(max = 2000, message = URL) String url,
        @Size(min = 1, message = "must be a non-empty list of achievement kinds")
        List<@NotNull(message = "must be an achievement kind") String> kinds) {
    private static final String URL = "is required: an http or https URL of at most 2000 characters";
}
