package io.laurel.scoring.rule;

import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ScoringState} held in memory: the whole past of the events given to it. The scoring
 * projection keeps the same facts in PostgreSQL; this one serves unit tests and benchmarks, and is the
 * model the projection's behaviour is checked against.
 */
public class InMemoryScoringState implements ScoringState {
    private final Map<CapKey, CapUsage> usage = new HashMap<>();
    /** Awards per event, in the order the events were scored. */
    private final List<Award> awards = new ArrayList<>();
    private final Set<String> reversed = new HashSet<>();
    /** A recalculation's adjustments per original event id. */
    private final Map<String, List<PointsEntry>> adjustments = new HashMap<>();
    private final Map<String, ScoreEvent> scoreEvents = new HashMap<>();

    private record Award(EventAccepted source, PointsEntry entry) {
    }

    @Override
    public CapUsage usage(CapKey key) {
        return usage.getOrDefault(key, CapUsage.NONE);
    }

    @Override
    public void addUsage(CapKey key, long points, long count) {
        usage.merge(key, new CapUsage(points, count), (a, b) -> a.plus(b.points(), b.count()));
    }

    @Override
    public List<PointsEntry> awardsToReverse(EventAccepted remove) {
        String eventId = null;
        List<PointsEntry> found = new ArrayList<>();
        for (int i = awards.size() - 1; i >= 0; i--) {
            Award a = awards.get(i);
            EventAccepted s = a.source();
            if (!s.tenant().equals(remove.tenant()) || !s.userId().equals(remove.userId())
                    || !s.eventType().equals(remove.eventType()) || reversed.contains(a.entry().entryId())
                    || (remove.idempotenceKey() != null && !remove.idempotenceKey().equals(s.idempotenceKey()))) {
                continue;
            }
            if (eventId == null) {
                eventId = s.eventId();
            }
            if (Objects.equals(eventId, s.eventId())) {
                found.add(0, a.entry());
            }
        }
        if (eventId != null) {
            for (PointsEntry a : adjustments.getOrDefault(eventId, List.of())) {
                if (!reversed.contains(a.entryId())) {
                    found.add(a);
                }
            }
        }
        return found;
    }

    @Override
    public boolean removed(String tenant, String eventId) {
        for (Award a : awards) {
            if (a.source().eventId().equals(eventId) && a.source().tenant().equals(tenant)
                    && reversed.contains(a.entry().entryId())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void recorded(EventAccepted source, List<PointsEntry> entries) {
        for (PointsEntry e : entries) {
            if (e.kind() == PointsEntryKind.AWARDED && source.eventAction() == EventAction.CREATE) {
                awards.add(new Award(source, e));
            } else if (e.kind() == PointsEntryKind.ADJUSTED && e.recalculation() != null) {
                adjustments.computeIfAbsent(e.eventId(), k -> new ArrayList<>()).add(e);
            } else if (e.kind() == PointsEntryKind.REVOKED && e.reverses() != null) {
                reversed.add(e.reverses());
            }
        }
    }

    @Override
    public ScoreEvent scoreEvent(String tenant, String scoreEventId) {
        ScoreEvent e = scoreEvents.get(scoreEventId);
        return e != null && e.tenant().equals(tenant) ? e : null;
    }

    @Override
    public void scoreEventChanged(ScoreEvent scoreEvent) {
        scoreEvents.put(scoreEvent.id(), scoreEvent);
    }
}
