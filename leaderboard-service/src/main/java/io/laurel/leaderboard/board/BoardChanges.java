package io.laurel.leaderboard.board;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Instant;

/** In-process notifications of changed leaderboard periods, for the live streams of connected clients. */
@Component
public class BoardChanges {
    /** The scores of one period of one board changed. */
    public record Change(String tenant, String board, Instant periodStart) {
    }

    private final Sinks.Many<Change> sink = Sinks.many().multicast().directBestEffort();

    public synchronized void publish(Change change) {
        sink.tryEmitNext(change); // no subscriber, or a slow one: it re-reads on the next change anyway
    }

    public Flux<Change> changes() {
        return sink.asFlux();
    }
}
