package io.laurel.ingest.event;

import io.laurel.events.EventAccepted;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.web.ProblemException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
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

    /** What happened to one event. */
    public record Outcome(String eventId, boolean duplicate) {
    }

    public EventAppender(Producer<String, byte[]> producer, TopicRegistry topics, IdempotenceStore idempotence) {
        this.producer = producer;
        this.topics = topics;
        this.idempotence = idempotence;
        producer.partitionsFor(topics.events().name()); // fetch metadata now, not on the first request
    }

    public Mono<Outcome> append(EventAccepted event) {
        if (event.idempotenceKey() == null) {
            return send(event).thenReturn(new Outcome(event.eventId(), false));
        }
        return idempotence.claim(event.tenant(), event.eventType(), event.idempotenceKey(), event.eventId())
                .flatMap(claim -> {
                    if (!claim.first() && claim.acked()) {
                        return Mono.just(new Outcome(claim.eventId(), true));
                    }
                    EventAccepted withId = claim.eventId().equals(event.eventId()) ? event : withEventId(event, claim.eventId());
                    return send(withId)
                            .then(idempotence.acknowledge(event.tenant(), event.eventType(), event.idempotenceKey()))
                            .thenReturn(new Outcome(claim.eventId(), !claim.first()))
                            .onErrorResume(e -> (claim.first()
                                    ? idempotence.release(event.tenant(), event.eventType(), event.idempotenceKey())
                                    : Mono.<Void>empty()).then(Mono.error(e)));
                });
    }

    private Mono<Void> send(EventAccepted event) {
        byte[] value = topics.events().valueSerde().serialize(topics.events().name(), event);
        return Mono.create(sink -> producer.send(new ProducerRecord<>(topics.events().name(), event.key(), value),
                (metadata, error) -> {
                    if (error == null) {
                        sink.success();
                    } else {
                        sink.error(new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "EVENT_LOG_UNAVAILABLE",
                                "Event log unavailable", "The event could not be appended to Kafka: "
                                + error.getMessage() + ". It was not accepted; retry later."));
                    }
                }))
                // the callback runs on the producer's I/O thread: answer the request elsewhere
                .publishOn(Schedulers.parallel()).then();
    }

    private static EventAccepted withEventId(EventAccepted e, String id) {
        return new EventAccepted(id, e.tenant(), e.eventType(), e.eventTypeVersion(), e.userId(), e.eventData(),
                e.eventAction(), e.idempotenceKey(), e.occurredAt(), e.receivedAt(), e.groups());
    }
}
