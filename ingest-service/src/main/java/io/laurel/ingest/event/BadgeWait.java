package io.laurel.ingest.event;

import io.laurel.events.EventAccepted;
import io.laurel.runtime.outcome.BadgeOutcomes;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.ProblemException;
import org.springframework.beans.factory.ObjectProvider;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code wait=badges}: appends an event and waits (at most {@code wait_ms}) until the badge service has decided it,
 * for {@code POST /v1/events} and the webhook-style hooks alike. A duplicate answers the badges of the event first
 * sent, once decided.
 */
public final class BadgeWait {
    /** The longest a caller may wait ({@code wait_ms}). */
    public static final long MAX_WAIT_MS = 10_000;

    private BadgeWait() {
    }

    /** What was appended, and the badges it earned: {@code null} when the badge service had not decided in time. */
    public record Decided(EventAppender.Outcome outcome, List<Map<String, Object>> earned) {
    }

    /**
     * The badge outcomes to wait on for {@code wait} (null: no wait), or 400 {@code INVALID_WAIT}: the badge service's
     * own where it runs in this process, else read from PostgreSQL.
     */
    public static BadgeOutcomes outcomes(String wait, long waitMs, ObjectProvider<BadgeOutcomes> badges) {
        if (wait == null) {
            return null;
        }
        if (!wait.equals("badges")) {
            throw ProblemException.badRequest("INVALID_WAIT", "wait must be 'badges', not '" + wait + "'");
        }
        if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
            throw ProblemException.badRequest("INVALID_WAIT", "wait_ms must be 0 to " + MAX_WAIT_MS);
        }
        return badges.getObject();
    }

    /** Appends {@code event} and waits for its badges (off the event loop). */
    public static Mono<Decided> append(EventAppender appender, BadgeOutcomes outcomes, EventAccepted event, String tenant,
                                       long waitMs) {
        var decided = outcomes.register(event.eventId());
        return appender.append(event).flatMap(outcome -> Blocking.call(() -> {
            List<Map<String, Object>> earned;
            try {
                earned = outcome.duplicate() ? awaitEarlier(outcomes, tenant, outcome.eventId(), waitMs)
                        : decided.get(waitMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                earned = null;
            } finally {
                outcomes.forget(event.eventId());
            }
            return new Decided(outcome, earned);
        })).doOnError(e -> outcomes.forget(event.eventId()));
    }

    /** A duplicate's badges: those of the event first posted, once the badge service has processed it. */
    private static List<Map<String, Object>> awaitEarlier(BadgeOutcomes outcomes, String tenant, String eventId,
                                                          long waitMs) throws InterruptedException, TimeoutException {
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            var earned = outcomes.earnedBy(tenant, eventId);
            if (earned.isPresent()) {
                return earned.get();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new TimeoutException();
            }
            Thread.sleep(50);
        }
    }
}
