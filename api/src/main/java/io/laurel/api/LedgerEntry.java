package io.laurel.api;

/** One journal entry: the event, rule and rule version it came from (its provenance); {@code kind} is awarded, revoked, adjusted or redeemed. */
public record LedgerEntry(String entryId, String eventId, String eventType, String ruleId, Integer ruleVersion, long points, String currency, String kind, java.time.Instant occurredAt, java.time.Instant recordedAt, String description, String recalculation, String reverses) {
}
