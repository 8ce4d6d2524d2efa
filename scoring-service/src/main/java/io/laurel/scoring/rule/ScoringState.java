package io.laurel.scoring.rule;

import io.laurel.events.EventAccepted;
import io.laurel.events.PointsEntry;

import java.util.List;

/**
 * What the rules engine must know of the past to score one more event: the caps used, the awards a
 * remove may reverse, the score events a change refers to. The scoring projection backs it with its
 * tables (plus what the current batch changed); tests use {@link InMemoryScoringState}.
 */
public interface ScoringState {
    CapUsage usage(CapKey key);

    void addUsage(CapKey key, long points, long count);

    /**
     * The awards, not yet reversed, of the create that {@code remove} undoes: the create of the same tenant,
     * user and type with the same idempotence key, or without a key the latest create that has any.
     */
    List<PointsEntry> awardsToReverse(EventAccepted remove);

    /**
     * Whether the create {@code eventId} was removed (its awards revoked): a recalculation's adjustment of it,
     * computed before the remove, then posts nothing.
     */
    boolean removed(String tenant, String eventId);

    /** Entries the engine just produced: awards become reversible, revocations mark what they reverse. */
    void recorded(EventAccepted source, List<PointsEntry> entries);

    /** The current points of a score event, or null when there is none with this id for the tenant. */
    ScoreEvent scoreEvent(String tenant, String scoreEventId);

    void scoreEventChanged(ScoreEvent scoreEvent);

    /** A Discourse-style score event as it stands. */
    record ScoreEvent(String tenant, String id, String userId, java.time.LocalDate date, long points,
                      String description, java.time.Instant occurredAt, java.time.Instant createdAt,
                      java.time.Instant updatedAt) {
    }
}
