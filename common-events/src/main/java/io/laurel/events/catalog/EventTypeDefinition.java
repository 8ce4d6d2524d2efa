package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;


/**
 * A declared event type of one tenant. {@code eventDataSchema} is always stored as full JSON Schema
 * (draft-07), whatever form it was declared in. System types cannot be deleted.
 */
public record EventTypeDefinition(
        String tenant,
        String id,
        String name,
        String description,
        boolean system,
        JsonNode eventDataSchema,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "event-type";

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }

    /** Event types are keyed by name: it is what events name, and it is unique in the tenant. */
    @Override
    public String key() {
        return io.laurel.events.Keys.catalog(tenant, KIND, name);
    }
}
