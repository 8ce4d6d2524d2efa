package io.laurel.scoring.rule;

import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.Ids;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.RuleDefinition;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one accepted event into journal entries: each active rule on the event's type awards its points
 * in its currency; a {@code remove} event revokes them. Entry ids derive from the event, rule, rule
 * version and kind, so the same event always yields the same entries.
 */
public final class RulesEngine {
    private RulesEngine() {
    }

    public static List<PointsEntry> entriesFor(EventAccepted event, List<RuleDefinition> rules) {
        List<PointsEntry> entries = new ArrayList<>(rules.size());
        boolean revoke = event.eventAction() == EventAction.REMOVE;
        PointsEntryKind kind = revoke ? PointsEntryKind.REVOKED : PointsEntryKind.AWARDED;
        for (RuleDefinition rule : rules) {
            if (!rule.active() || !rule.tenant().equals(event.tenant()) || !rule.eventType().equals(event.eventType())
                    || rule.points() == 0) {
                continue;
            }
            long points = revoke ? -rule.points() : rule.points();
            String id = Ids.derived(event.eventId(), rule.id(), Integer.toString(rule.version()), kind.wireName())
                    .toString();
            entries.add(new PointsEntry(id, event.tenant(), event.userId(), event.eventId(), rule.id(), rule.version(),
                    points, rule.currency(), kind, event.occurredAt(), event.receivedAt(),
                    (revoke ? "Revoked: " : "") + rule.name(), event.groups(), null));
        }
        return entries;
    }
}
