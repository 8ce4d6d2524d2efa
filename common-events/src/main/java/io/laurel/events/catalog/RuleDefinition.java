package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A scoring rule: "when event X happens, award N points of currency C". Conditions, expressions and
 * caps are kept as declared; their meaning belongs to the scoring service.
 */
public record RuleDefinition(
        String tenant,
        String id,
        String name,
        String eventType,
        long points,
        String currency,
        JsonNode condition,
        String pointsExpression,
        JsonNode cap,
        boolean active,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "rule";

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }
}
