package io.laurel.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * A user event that passed validation and was appended to {@code laurel.events}: the fact every read
 * model folds. It carries its id, its tenant, the user, and when it happened and was received.
 *
 * @param catalogPosition how far the writer had read {@code laurel.catalog} when it accepted the event (the
 *                        sum of its next offsets), or null: a fold that applies catalog definitions (rules)
 *                        waits until its own catalog view has read as far, so every rule the writer knew of
 *                        when the event arrived is applied, without asking the broker per batch
 */
public record EventAccepted(
        String eventId,
        String tenant,
        String eventType,
        int eventTypeVersion,
        String userId,
        JsonNode eventData,
        EventAction eventAction,
        String idempotenceKey,
        Instant occurredAt,
        Instant receivedAt,
        List<String> groups,
        Long catalogPosition) {

    /** An event without a catalog position (written by something that does not read the catalog). */
    public EventAccepted(String eventId, String tenant, String eventType, int eventTypeVersion, String userId,
                         JsonNode eventData, EventAction eventAction, String idempotenceKey, Instant occurredAt,
                         Instant receivedAt, List<String> groups) {
        this(eventId, tenant, eventType, eventTypeVersion, userId, eventData, eventAction, idempotenceKey, occurredAt,
                receivedAt, groups, null);
    }

    public EventAccepted {
        groups = groups == null ? List.of() : List.copyOf(groups);
        eventAction = eventAction == null ? EventAction.CREATE : eventAction;
    }

    /** Whether every field a fold relies on is present (a record written by something other than Laurel may lack one). */
    public boolean isComplete() {
        return eventId != null && tenant != null && userId != null && eventType != null && occurredAt != null
                && receivedAt != null;
    }

    /** The same event with another id (a repeat answered with the first id). */
    public EventAccepted withEventId(String id) {
        return new EventAccepted(id, tenant, eventType, eventTypeVersion, userId, eventData, eventAction, idempotenceKey,
                occurredAt, receivedAt, groups, catalogPosition);
    }

    public String key() {
        return Keys.user(tenant, userId);
    }
}
