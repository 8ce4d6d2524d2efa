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
        String recalculation) {

    public PointsEntry {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public String key() {
        return Keys.user(tenant, userId);
    }
}
