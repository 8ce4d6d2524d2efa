package io.laurel.runtime.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.ProblemException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one way Laurel appends an event of its own to {@code laurel.events} (a manual score event, a badge grant, a
 * redemption, a challenge completion): the system type's current version, the catalog position it was decided at,
 * the platform's producer (idempotent, acks=all), and an answer only after Kafka acknowledged it.
 */
public final class SystemEvents {
    /** How long a request waits for the acknowledgement before answering 503. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<String, byte[]> producer;
    private final TopicRegistry topics;
    private final CatalogView catalog;

    public SystemEvents(Producer<String, byte[]> producer, TopicRegistry topics, CatalogView catalog) {
        this.producer = producer;
        this.topics = topics;
        this.catalog = catalog;
    }

    /**
     * A system event ({@code create}) of the tenant: {@code occurredAt} when it happened, received now.
     *
     * @param idempotenceKey null, or the key that makes a repeat of the request count once
     */
    public EventAccepted event(String id, String tenant, String systemType, String userId, JsonNode data,
                               Instant occurredAt, String idempotenceKey) {
        return event(id, tenant, systemType, userId, data, occurredAt, Instant.now(), idempotenceKey);
    }

    /** The same, received at {@code receivedAt} (a forwarder repeating an event keeps the time it was first decided). */
    public EventAccepted event(String id, String tenant, String systemType, String userId, JsonNode data,
                               Instant occurredAt, Instant receivedAt, String idempotenceKey) {
        int version = catalog.eventType(tenant, systemType).map(EventTypeDefinition::version).orElse(1);
        return new EventAccepted(id, tenant, systemType, version, userId, data, EventAction.CREATE, idempotenceKey,
                occurredAt, receivedAt, List.of(), catalog.position());
    }

    /** The record of {@code laurel.events} for the event: for a projection's {@code tx.append}. */
    public ProducerRecord<String, byte[]> record(EventAccepted event) {
        String topic = topics.events().name();
        return new ProducerRecord<>(topic, event.key(), topics.events().valueSerde().serialize(topic, event));
    }

    /**
     * Appends and waits for Kafka's acknowledgement (at most {@code timeout}); anything else throws the cause as is,
     * for callers that retry on their own (a forwarder).
     */
    public void appendOrThrow(EventAccepted event, Duration timeout) throws Exception {
        producer.send(record(event)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Appends for a request: not acknowledged within {@link #ACK_TIMEOUT}, the request answers 503
     * {@code EVENT_LOG_UNAVAILABLE} with {@code Retry-After}, saying that {@code what} was not recorded.
     */
    public void append(EventAccepted event, String what) {
        try {
            appendOrThrow(event, ACK_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        } catch (Exception e) {
            throw unavailable(what, e);
        }
    }

    private static ProblemException unavailable(String what, Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        String why = cause instanceof java.util.concurrent.TimeoutException ? "Kafka did not acknowledge it in time"
                : String.valueOf(cause.getMessage());
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "EVENT_LOG_UNAVAILABLE", "Event log unavailable",
                "The " + what + " was not recorded: " + why + ". Retry later.", List.of(),
                Map.of(HttpHeaders.RETRY_AFTER, "5"));
    }
}
