package io.laurel.api;

import java.time.Instant;

/** An API key of a tenant; {@code key}, the secret, is only in the answer that created it. */
public record ApiKey(String id, String tenant, String name, java.util.List<String> scopes, Instant createdAt, String key) {
}
