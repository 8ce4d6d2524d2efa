package io.laurel.ingest.event;

import io.laurel.events.EventAccepted;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.web.ProblemException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import io.laurel.runtime.config.LaurelProperties;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import reactor.core.scheduler.Schedulers;

/**
 * Appends validated events to {@code laurel.events} (idempotent producer, acks=all), applying the
 * idempotence key: the answer is given only after Kafka acknowledged.
 */
@Component
public class EventAppender {
    private final Producer<String, byte[]> producer;
    private final TopicRegistry topics;
    private final IdempotenceStore idempotence;
    private final Duration appendTimeout;
    private final IngestMetrics metrics;
    static final long RETRY_AFTER_SECONDS = 5;

    /** What happened to one event. */
    public record Outcome(String eventId, boolean duplicate) {
    }

    public EventAppender(Producer<String, byte[]> producer, TopicRegistry topics, IdempotenceStore idempotence,
                         LaurelProperties props, IngestMetrics metrics) {
        this.metrics = metrics;
        this.appendTimeout = props.getIngest().getAppendTimeout();
        this.producer = producer;
        this.topics = topics;
        this.idempotence = idempotence;
        try {
            producer.partitionsFor(topics.events().name()); // fetch metadata now, not on the first request
        } catch (RuntimeException e) {
            // Kafka is slow or away at start: the first requests fetch it, or answer 503
        }
    }

    /** Appends one event (counted in {@link IngestMetrics}: accepted, duplicate, or failed). */
    public Mono<Outcome> append(EventAccepted event) {
        return appendOnce(event)
                .doOnNext(o -> metrics.count(event.tenant(), o.duplicate() ? IngestMetrics.Outcome.DUPLICATE
                        : IngestMetrics.Outcome.ACCEPTED))
                .doOnError(e -> metrics.count(event.tenant(), IngestMetrics.Outcome.FAILED));
    }

    private Mono<Outcome> appendOnce(EventAccepted event) {
        if (event.idempotenceKey() == null) {
            return send(event).thenReturn(new Outcome(event.eventId(), false));
        }
        String key = IdempotenceStore.scopedKey(event);
        // a repeat waits at most one lease for the request appending the event (its append timeout and a second)
        long deadline = System.nanoTime() + lease().toNanos();
        return idempotence.claim(event.tenant(), event.eventType(), key, event.eventId(), lease())
                .flatMap(claim -> settle(event, key, claim, deadline));
    }

    /** How long a request holds an idempotence key while it appends: its append timeout, and a second. */
    private Duration lease() {
        return appendTimeout.plusSeconds(1);
    }

    private Mono<Outcome> settle(EventAccepted event, String key, IdempotenceStore.Claim claim, long deadline) {
        if (claim.acked()) {
            return Mono.just(new Outcome(claim.eventId(), true));
        }
        if (claim.sending()) {
            EventAccepted withId = claim.eventId().equals(event.eventId()) ? event : event.withEventId(claim.eventId());
            // On failure the claim stays unacknowledged: the client's retry re-sends the event with the same event
            // id, which every fold counts once. Kafka refused it: the lease is released, the retry goes ahead at
            // once. No acknowledgement in time: the record may still be on its way, so the lease runs out first.
            return send(withId, e -> timedOut(e) ? Mono.empty()
                    : idempotence.release(event.tenant(), event.eventType(), key, claim.lease()))
                    .then(idempotence.acknowledge(event.tenant(), event.eventType(), key))
                    .thenReturn(new Outcome(claim.eventId(), false));
        }
        // another request is appending this event right now: its acknowledgement makes this one a duplicate
        if (System.nanoTime() > deadline) {
            return Mono.error(unavailable(new TimeoutException("an earlier request with the same idempotence key")));
        }
        return Mono.delay(Duration.ofMillis(20))
                .then(idempotence.reclaim(event.tenant(), event.eventType(), key, lease()))
                .flatMap(next -> settle(event, key, next, deadline));
    }

    /**
     * The same as {@link #append} as a future, without a Reactor hop per event: a batch appends all its
     * events this way and answers once, when the last one is settled. Failures are {@link ProblemException}s.
     */
    public CompletableFuture<Outcome> appendFuture(EventAccepted event) {
        if (event.idempotenceKey() != null) {
            return append(event).toFuture();
        }
        return sendFuture(event).handle((ok, error) -> {
            if (error != null) {
                metrics.count(event.tenant(), IngestMetrics.Outcome.FAILED);
                throw error instanceof ProblemException p ? p : unavailable(error);
            }
            metrics.count(event.tenant(), IngestMetrics.Outcome.ACCEPTED);
            return new Outcome(event.eventId(), false);
        });
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private Mono<Void> send(EventAccepted event) {
        return send(event, e -> Mono.empty());
    }

    /** Appends; on failure runs {@code onFailure} with the cause before answering 503. */
    private Mono<Void> send(EventAccepted event, java.util.function.Function<Throwable, Mono<Void>> onFailure) {
        // CompletableFuture's own timeout: far cheaper per event than a Reactor timeout operator
        return Mono.fromFuture(sendFuture(event), true)
                .onErrorResume(e -> onFailure.apply(e).onErrorResume(ignored -> Mono.empty()).then(Mono.error(e)))
                .onErrorMap(e -> !(e instanceof ProblemException), e -> unavailable(e))
                // the callback runs on the producer's I/O thread: answer the request elsewhere
                .publishOn(Schedulers.parallel());
    }

    private CompletableFuture<Void> sendFuture(EventAccepted event) {
        byte[] value = topics.events().valueSerde().serialize(topics.events().name(), event);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topics.events().name(), event.key(), value), (metadata, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e); // the producer's buffer stayed full for max.block.ms
        }
        return acked.orTimeout(appendTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private ProblemException unavailable(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String why = e instanceof TimeoutException t && t.getMessage() != null && t.getMessage().startsWith("an earlier")
                ? t.getMessage() + " was still being appended after " + lease().toMillis() + " ms"
                : e instanceof TimeoutException ? "Kafka did not acknowledge it within " + appendTimeout.toMillis() + " ms"
                : "Kafka refused it (" + e.getMessage() + ")";
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "EVENT_LOG_UNAVAILABLE", "Event log unavailable",
                "The event was not accepted: " + why + ". Retry later; with an idempotence_key a retry never counts twice.",
                List.of(), Map.of(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS)));
    }

}
