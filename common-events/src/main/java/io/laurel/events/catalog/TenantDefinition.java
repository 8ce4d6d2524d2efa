package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A tenant. Its time zone (an IANA name, UTC when not given) is where its calendar periods begin: a
 * rule's daily cap resets at the tenant's midnight, not at UTC's. Its event rate limit (events per second, with a
 * burst; null when it has none, the default) is what each ingest instance accepts from it over HTTP.
 */
public record TenantDefinition(String tenant, String name, String timeZone, int version, Instant createdAt,
                               Instant updatedAt, Integer eventRateLimit, Integer eventBurst) implements CatalogDefinition {
    public static final String KIND = "tenant";

    /** A tenant without a rate limit. */
    public TenantDefinition(String tenant, String name, String timeZone, int version, Instant createdAt,
                            Instant updatedAt) {
        this(tenant, name, timeZone, version, createdAt, updatedAt, null, null);
    }

    @Override
    public String id() {
        return tenant;
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }

    /** The tenant's zone; UTC when none was given (or a stored one is no longer known to this JVM). */
    @JsonIgnore
    public ZoneId zone() {
        return io.laurel.events.time.Zones.orUtc(timeZone);
    }
}
