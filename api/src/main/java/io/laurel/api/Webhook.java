package io.laurel.api;

import java.time.Instant;
import java.util.List;

/** A webhook subscription; {@code secret} (what deliveries are signed with) is only in the answer that created it. */
public record Webhook(String id, String tenant, String url, List<String> kinds, Boolean active, Instant createdAt,
                      String secret) {
}
