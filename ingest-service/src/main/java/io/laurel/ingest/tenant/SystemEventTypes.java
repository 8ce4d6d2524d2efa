package io.laurel.ingest.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.Ids;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.json.LaurelJson;

import java.time.Instant;
import java.util.List;

/** The event types every tenant has from the start; they cannot be deleted. */
public final class SystemEventTypes {
    private SystemEventTypes() {
    }

    public static List<EventTypeDefinition> forTenant(String tenant, Instant now) {
        return List.of(
                type(tenant, "score.manual", "Points given or taken by hand (Discourse-style score events).",
                        "{\"type\":\"object\",\"required\":[\"points\"],\"properties\":{\"points\":{\"type\":\"integer\"},"
                                + "\"description\":{\"type\":\"string\"}}}", now),
                type(tenant, "points.redeemed", "Points a user spent.",
                        "{\"type\":\"object\",\"required\":[\"points\"],\"properties\":{\"points\":{\"type\":\"integer\","
                                + "\"minimum\":1},\"currency\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"}}}", now));
    }

    private static EventTypeDefinition type(String tenant, String name, String description, String schema, Instant now) {
        try {
            JsonNode node = LaurelJson.mapper().readTree(schema);
            return new EventTypeDefinition(tenant, Ids.derived(tenant, "event-type", name).toString(), name, description,
                    true, node, 1, now, now);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
