package io.laurel.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * A user event that passed validation and was appended to {@code laurel.events}: the fact every read
 * model folds. It carries its id, its tenant, the user, and when it happened and was received.
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
        List<String> groups) {

    public EventAccepted {
        groups = groups == null ? List.of() : List.copyOf(groups);
        eventAction = eventAction == null ? EventAction.CREATE : eventAction;
    }

    /** Whether every field a fold relies on is present (a record written by something other than Laurel may lack one). */
    public boolean isComplete() {
        return eventId != null && tenant != null && userId != null && eventType != null && occurredAt != null
                && receivedAt != null;
    }

    public String key() {
        return Keys.user(tenant, userId);
    }
}
