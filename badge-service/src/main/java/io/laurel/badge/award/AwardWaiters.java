package io.laurel.badge.award;

import io.laurel.badge.rule.Award;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process waits for the badge projection to have processed an event: a request registers the event id
 * before appending the event, and the projection completes it, after its commit, with the awards the event
 * earned (none is an answer too).
 */
@Component
public class AwardWaiters {
    private final Map<String, CompletableFuture<List<Award>>> waiting = new ConcurrentHashMap<>();

    public CompletableFuture<List<Award>> register(String eventId) {
        return waiting.computeIfAbsent(eventId, id -> new CompletableFuture<>());
    }

    public void forget(String eventId) {
        waiting.remove(eventId);
    }

    void processed(String eventId, List<Award> awards) {
        CompletableFuture<List<Award>> f = waiting.remove(eventId);
        if (f != null) {
            f.complete(awards);
        }
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }
}
