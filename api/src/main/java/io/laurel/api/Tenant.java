package io.laurel.api;

import java.time.Instant;

/** A tenant: its time zone (caps, calendar periods) and its event rate limit, if any. */
public record Tenant(String id, String name, String timeZone, RateLimit rateLimit, Instant createdAt) {
}
