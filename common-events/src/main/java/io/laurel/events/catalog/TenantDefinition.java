package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

public record TenantDefinition(String tenant, String name, int version, Instant createdAt, Instant updatedAt)
        implements CatalogDefinition {
    public static final String KIND = "tenant";

    @Override
    public String id() {
        return tenant;
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }
}
