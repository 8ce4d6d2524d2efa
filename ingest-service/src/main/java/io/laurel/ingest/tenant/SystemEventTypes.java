package io.laurel.ingest.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.Ids;
import io.laurel.events.json.LaurelJson;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.ingest.eventtype.EventTypeCommands;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.ProblemException;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/** The event types every tenant has from the start; they cannot be changed or deleted. */
@Component
public class SystemEventTypes {
    /** A system type: its name, description and JSON Schema. */
    public record SystemType(String name, String description, String schema) {
    }

    public static final List<SystemType> TYPES = List.of(
            new SystemType("score.manual", "Points given or taken by hand (Discourse-style score events).",
                    "{\"type\":\"object\",\"required\":[\"points\"],\"properties\":{\"points\":{\"type\":\"integer\"},"
                            + "\"description\":{\"type\":\"string\"}}}"),
            new SystemType("points.redeemed", "Points a user spent.",
                    "{\"type\":\"object\",\"required\":[\"points\"],\"properties\":{\"points\":{\"type\":\"integer\","
                            + "\"minimum\":1},\"currency\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"}}}"),
            new SystemType("badge.granted", "A badge granted through the API (POST /v1/badges/{id}/grants).",
                    "{\"type\":\"object\",\"required\":[\"badge_id\"],\"properties\":{\"badge_id\":{\"type\":\"string\"}}}"),
            new SystemType("challenge.completed", "A challenge completed, with its reward in points (written by the badge"
                    + " service; scoring turns it into points).",
                    "{\"type\":\"object\",\"required\":[\"challenge_id\"],\"properties\":{\"challenge_id\":"
                            + "{\"type\":\"string\"},\"points\":{\"type\":\"integer\"},\"currency\":{\"type\":\"string\"}}}"),
            new SystemType("points.recalculated", "A recalculation's adjustment of one event (written by an applied"
                    + " recalculation; scoring turns it into adjusted entries).",
                    "{\"type\":\"object\",\"required\":[\"recalculation\",\"event_id\",\"adjustments\"],\"properties\":"
                            + "{\"recalculation\":{\"type\":\"string\"},\"event_id\":{\"type\":\"string\"},"
                            + "\"adjustments\":{\"type\":\"array\"}}}"),
            new SystemType("feature.granted", "A feature unlocked through the API (POST /v1/features/{id}/grants).",
                    "{\"type\":\"object\",\"required\":[\"feature_id\"],\"properties\":{\"feature_id\":"
                            + "{\"type\":\"string\"}}}"));

    private final EventTypeCommands commands;
    private final CatalogView catalog;
    private final CatalogWriter writer;

    public SystemEventTypes(EventTypeCommands commands, CatalogView catalog, CatalogWriter writer) {
        this.commands = commands;
        this.catalog = catalog;
        this.writer = writer;
    }

    /** Declares the tenant's system types that are missing, and waits until the catalog shows them. */
    public void ensure(String tenant) {
        for (SystemType t : TYPES) {
            if (catalog.eventType(tenant, t.name()).isPresent()) {
                continue;
            }
            try {
                commands.declare(tenant, t.name(), Ids.derived(tenant, "event-type", t.name()).toString(),
                        t.description(), schema(t), true);
            } catch (ProblemException e) {
                if (!"EVENT_TYPE_EXISTS".equals(e.code())) {
                    throw e;
                }
            }
        }
        writer.awaitVisible(() -> TYPES.stream().allMatch(t -> catalog.eventType(tenant, t.name()).isPresent()),
                Duration.ofSeconds(30));
    }

    private static JsonNode schema(SystemType t) {
        try {
            return LaurelJson.mapper().readTree(t.schema());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
