package io.laurel.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * What a backend system sends: one thing a user did. It becomes an {@link EventAccepted} once the
 * ingest gateway has validated it against the event type's schema.
 */
public record EventEnvelope(
        String eventType,
        String userId,
        JsonNode eventData,
        EventAction eventAction,
        String idempotenceKey,
        Instant occurredAt,
        List<String> groups) {
}
