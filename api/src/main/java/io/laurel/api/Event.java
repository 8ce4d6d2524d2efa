package io.laurel.api;

/** The event envelope a backend sends ({@code POST /v1/events}); {@code eventAction} is {@code create} (default) or {@code remove}, reversing an earlier create. */
public record Event(String eventType, String userId, java.util.Map<String, Object> eventData, String eventAction, String idempotenceKey, java.time.Instant occurredAt, java.util.List<String> groups) {
    /** A {@code create} event of now. */
    public static Event of(String eventType, String userId, java.util.Map<String, Object> eventData) {
        return new Event(eventType, userId, eventData, null, null, null, null);
    }

    /** The same event counting once per tenant and type, however often it is sent. */
    public Event withIdempotenceKey(String key) {
        return new Event(eventType, userId, eventData, eventAction, key, occurredAt, groups);
    }

    /** The same event, as of when it happened (a backfill). */
    public Event withOccurredAt(java.time.Instant at) {
        return new Event(eventType, userId, eventData, eventAction, idempotenceKey, at, groups);
    }

    /** The same event, rolling up to the given groups (teams, companies). */
    public Event withGroups(java.util.List<String> groupIds) {
        return new Event(eventType, userId, eventData, eventAction, idempotenceKey, occurredAt, groupIds);
    }

    /** The {@code remove} of this event: it reverses an earlier create of the same type, user and data. */
    public Event removal() {
        return new Event(eventType, userId, eventData, "remove", idempotenceKey, occurredAt, groups);
    }
}
