package io.laurel.api;

/** One journal entry: the event, rule and rule version it came from (its provenance); {@code kind} is awarded, revoked, adjusted or redeemed. */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
public record LedgerEntry(String entryId, String eventId, String eventType, String ruleId, Integer ruleVersion, long points, String currency, String kind, java.time.Instant occurredAt, java.time.Instant recordedAt, String description,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String recalculation,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String reverses) {
}
