package io.laurel.runtime.outcome;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the badge service decided about an event, for a client that posts it with {@code ?wait=badges}
 * (present where the badge service runs in the same process, as in the standalone). Each badge earned is a
 * map {@code award_id, badge_id, name, count}.
 */
public interface BadgeOutcomes {
    /** Completes once the badge projection has processed the event, with the badges it earned. Call before appending. */
    CompletableFuture<List<Map<String, Object>>> register(String eventId);

    /** Drops the interest in an event (answered, timed out, or not appended). */
    void forget(String eventId);

    /** For an event processed earlier (a duplicate post): the badges it earned; empty if not processed yet. */
    Optional<List<Map<String, Object>>> earnedBy(String tenant, String eventId);
}
