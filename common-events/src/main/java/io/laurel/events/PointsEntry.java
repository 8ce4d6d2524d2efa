package io.laurel.events;

import java.time.Instant;
import java.util.List;

/**
 * One journal entry of {@code laurel.points}. The journal is never rewritten: a correction is a new
 * entry. Every entry can be traced to the event and the rule version that produced it.
 *
 * @param entryId       deterministic for (event, rule, rule version, kind), so a redelivered event
 *                      produces the same id and downstream folds can recognise a repeat
 * @param recalculation id of the recalculation that posted this adjusting entry, or null
 * @param eventType     the type of the event that produced the entry (null for entries without an event)
 * @param reverses      for a revoked entry, the id of the awarded entry it reverses
 */
public record PointsEntry(
        String entryId,
        String tenant,
        String userId,
        String eventId,
        String ruleId,
        Integer ruleVersion,
        long points,
        String currency,
        PointsEntryKind kind,
        Instant occurredAt,
        Instant recordedAt,
        String description,
        List<String> groups,
        String recalculation,
        String eventType,
        String reverses) {

    public PointsEntry {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public String key() {
        return Keys.user(tenant, userId);
    }
}
