package io.laurel.ingest.definition;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Commands and events of a catalog definition (a rule today; badge, level, challenge and leaderboard
 * definitions later): stored and versioned here, their meaning belongs to the service that uses them.
 * The aggregate id is {@code tenant/kind/id}.
 */
public final class DefinitionMessages {
    private DefinitionMessages() {
    }

    public static String aggregateId(String tenant, String kind, String id) {
        return tenant + "/" + kind + "/" + id;
    }

    public record Define(@TargetAggregateIdentifier String aggregateId, String tenant, String kind, String id,
                         JsonNode body, Instant at) {
    }

    public record Revise(@TargetAggregateIdentifier String aggregateId, JsonNode body, Instant at) {
    }

    public record Retire(@TargetAggregateIdentifier String aggregateId, Instant at) {
    }

    public record DefinitionDefined(String aggregateId, String tenant, String kind, String id, JsonNode body,
                                    int version, Instant createdAt, Instant at) {
    }

    public record DefinitionRevised(String aggregateId, String tenant, String kind, String id, JsonNode body,
                                    int version, Instant createdAt, Instant at) {
    }

    public record DefinitionRetired(String aggregateId, String tenant, String kind, String id, JsonNode body,
                                    int version, Instant createdAt, Instant at) {
    }

    /** 409: the id is taken. */
    public static class DefinitionExists extends RuntimeException {
        public DefinitionExists(String id) {
            super("A definition with id '" + id + "' exists already.");
        }
    }

    /** 404: no such definition, or it was retired. */
    public static class DefinitionNotFound extends RuntimeException {
        public DefinitionNotFound(String id) {
            super("No definition '" + id + "'.");
        }
    }
}
