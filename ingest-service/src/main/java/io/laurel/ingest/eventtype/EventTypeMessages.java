package io.laurel.ingest.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Commands (imperative) and events (past tense) of the event-type aggregate. The aggregate id is
 * {@code tenant/name}: a name is unique in its tenant because it is the identity.
 */
public final class EventTypeMessages {
    private EventTypeMessages() {
    }

    public static String aggregateId(String tenant, String name) {
        return tenant + "/" + name;
    }

    public record DeclareEventType(@TargetAggregateIdentifier String aggregateId, String tenant, String name,
                                   String id, String description, JsonNode schema, boolean system, Instant at) {
    }

    public record ChangeEventType(@TargetAggregateIdentifier String aggregateId, String description, JsonNode schema,
                                  Instant at) {
    }

    public record DeleteEventType(@TargetAggregateIdentifier String aggregateId, Instant at) {
    }

    public record EventTypeDeclared(String aggregateId, String tenant, String name, String id, String description,
                                    JsonNode schema, boolean system, int version, Instant createdAt, Instant at) {
    }

    public record EventTypeChanged(String aggregateId, String tenant, String name, String id, String description,
                                   JsonNode schema, boolean system, int version, Instant createdAt, Instant at) {
    }

    public record EventTypeDeleted(String aggregateId, String tenant, String name, int version, Instant at) {
    }

    /** 409 EVENT_TYPE_EXISTS. */
    public static class EventTypeExists extends RuntimeException {
        public EventTypeExists(String name) {
            super("Event type '" + name + "' exists already in this tenant.");
        }
    }

    /** 404 EVENT_TYPE_NOT_FOUND. */
    public static class EventTypeNotFound extends RuntimeException {
        public EventTypeNotFound(String name) {
            super("No event type '" + name + "' in this tenant.");
        }
    }

    /** 403 SYSTEM_EVENT_TYPE. */
    public static class SystemEventType extends RuntimeException {
        public SystemEventType(String name) {
            super("'" + name + "' is a system event type; it cannot be changed or deleted.");
        }
    }
}
