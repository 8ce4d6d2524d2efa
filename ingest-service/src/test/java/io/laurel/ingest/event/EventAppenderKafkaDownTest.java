package io.laurel.ingest.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.web.ProblemException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backpressure: with no Kafka to acknowledge, an event is answered 503 EVENT_LOG_UNAVAILABLE with
 * Retry-After within the configured time, instead of hanging. A real producer, pointed at a port where
 * nothing listens.
 */
class EventAppenderKafkaDownTest {

    @Test
    void withoutKafkaTheAnswerIs503WithRetryAfterWithinTheAppendTimeout() {
        LaurelProperties props = new LaurelProperties();
        props.getIngest().setAppendTimeout(Duration.ofMillis(800));
        try (Producer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 300,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 100), new StringSerializer(), new ByteArraySerializer())) {
            var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            EventAppender appender = new EventAppender(producer, new TopicRegistry(), null, props,
                    new IngestMetrics(registry));
            EventAccepted event = new EventAccepted("e-1", "default", "visit", 1, "u1",
                    JsonNodeFactory.instance.objectNode(), EventAction.CREATE, null, Instant.now(), Instant.now(), List.of());
            long started = System.nanoTime();
            assertThatThrownBy(() -> appender.append(event).block(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(ProblemException.class, p -> {
                        assertThat(p.status().value()).isEqualTo(503);
                        assertThat(p.code()).isEqualTo("EVENT_LOG_UNAVAILABLE");
                        assertThat(p.headers()).containsEntry("Retry-After", "5");
                        assertThat(p.getMessage()).contains("not accepted");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            // counted as failed, never as accepted
            assertThat(registry.get(IngestMetrics.METRIC).tags("tenant", "default", "outcome", "failed").counter().count())
                    .isEqualTo(1.0);
            assertThat(registry.find(IngestMetrics.METRIC).tags("outcome", "accepted").counter()).isNull();
        }
    }
}
