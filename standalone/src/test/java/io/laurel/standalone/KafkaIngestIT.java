package io.laurel.standalone;

import io.laurel.events.EventAccepted;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.ingest.inbound.InboundGateway;
import io.laurel.ingest.inbound.InboundHeaders;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka ingest: envelopes written to laurel.events.inbound with an API key header are validated like
 * HTTP events; valid ones reach laurel.events, invalid ones laurel.events.rejected with the reason, and a
 * gateway restarted mid-stream neither loses nor repeats a record.
 */
class KafkaIngestIT extends PlatformTestSupport {

    @Autowired
    InboundGateway gateway;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    /** laurel_ingest_events_total of a tenant and outcome. */
    private double ingested(String tenant, String outcome) {
        var c = meters.find("laurel.ingest.events").tags("tenant", tenant, "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, KafkaIngestIT.class);
    }

    private final TestEnvironment env = LaurelTestInfra.forClass(KafkaIngestIT.class);
    private final TopicRegistry topics = env.topics();

    @Test
    void validRecordsAreForwardedAndInvalidOnesRejectedWithTheReason() throws Exception {
        postJson(ADMIN_KEY, "/v1/admin/event-types",
                "{\"name\":\"purchase\",\"event_data_schema\":{\"required\":[\"amount\"],\"properties\":{\"amount\":\"integer\"}}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"1 per purchase\",\"event_type\":\"purchase\",\"points\":1}", 201);
        String writer = keyFor("default", List.of("events:write"));
        String reader = keyFor("default", List.of("leaderboards:read"));
        long forwardedBefore = gateway.status().forwarded();
        double[] before = {ingested("default", "accepted"), ingested("default", "duplicate"),
                ingested("default", "rejected"), ingested("unknown", "rejected")};

        try (KafkaProducer<String, byte[]> p = producer()) {
            send(p, writer, null, "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":5}}");
            send(p, writer, null, "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":6},\"idempotence_key\":\"o-9\"}");
            send(p, writer, null, "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":6},\"idempotence_key\":\"o-9\"}");
            send(p, writer, null, "{\"event_type\":\"purchase\",");
            send(p, writer, null, "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":\"six\"}}");
            send(p, null, null, "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":1}}");
            send(p, "lrl_unknown", null, "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":1}}");
            send(p, reader, null, "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":1}}");
            send(p, writer, "acme", "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":1}}");
            send(p, writer, "default", "{\"event_type\":\"nope\",\"user_id\":\"k1\"}");
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            InboundGateway.Status s = gateway.status();
            assertThat(s.forwarded() - forwardedBefore).isEqualTo(2);
            assertThat(s.rejected()).isEqualTo(7);
            assertThat(s.duplicates()).isEqualTo(1);
        });
        // laurel_ingest_events_total: a record whose key is unknown or missing counts under tenant "unknown"; one
        // whose key lacks the scope or names another tenant under the key's own tenant
        assertThat(ingested("default", "accepted") - before[0]).isEqualTo(2);
        assertThat(ingested("default", "duplicate") - before[1]).isEqualTo(1);
        assertThat(ingested("default", "rejected") - before[2]).isEqualTo(5);
        assertThat(ingested("unknown", "rejected") - before[3]).isEqualTo(2);
        List<ConsumerRecord<String, byte[]>> rejected = readAll(topics.eventsRejected().name(), 7);
        assertThat(rejected).extracting(r -> header(r, InboundHeaders.REJECTED_CODE)).containsExactlyInAnyOrder(
                "MALFORMED_JSON", "SCHEMA_VIOLATION", "UNAUTHENTICATED", "UNAUTHENTICATED", "INSUFFICIENT_SCOPE",
                "FOREIGN_TENANT", "EVENT_TYPE_NOT_DECLARED");
        assertThat(rejected).allSatisfy(r -> assertThat(r.headers().lastHeader(InboundHeaders.API_KEY)).isNull());
        ConsumerRecord<String, byte[]> schema = rejected.stream()
                .filter(r -> "SCHEMA_VIOLATION".equals(header(r, InboundHeaders.REJECTED_CODE))).findFirst().orElseThrow();
        assertThat(header(schema, InboundHeaders.REJECTED_ERRORS)).contains("/event_data/amount");
        assertThat(header(schema, InboundHeaders.REJECTED_STATUS)).isEqualTo("422");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time/users/k1", 200).get("score").asLong()).isEqualTo(2));
        // the same key over HTTP is the same event
        assertThat(postJson(ADMIN_KEY, "/v1/events",
                "{\"event_type\":\"purchase\",\"user_id\":\"k1\",\"event_data\":{\"amount\":6},\"idempotence_key\":\"o-9\"}", 200)
                .get("status").asText()).isEqualTo("duplicate");
    }

    @Test
    void aGatewayRestartedMidStreamNeitherLosesNorRepeatsARecord() throws Exception {
        post(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"tap\"}").expectStatus().value(s -> assertThat(s).isIn(201, 409)).expectBody().returnResult();
        String writer = keyFor("default", List.of("events:write"));
        int total = 3000;
        AtomicInteger sent = new AtomicInteger();
        Thread sender = new Thread(() -> {
            try (KafkaProducer<String, byte[]> p = producer()) {
                for (int i = 0; i < total; i++) {
                    send(p, writer, null, "{\"event_type\":\"tap\",\"user_id\":\"t" + (i % 50) + "\",\"event_data\":{\"i\":" + i + "}}");
                    sent.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        for (int restart = 0; restart < 3; restart++) {
            int at = (restart + 1) * total / 4;
            await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() >= at);
            gateway.stop();
            gateway.start();
        }
        sender.join(120_000);
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(taps()).hasSize(total));
        List<EventAccepted> taps = taps();
        Set<Long> seen = new HashSet<>();
        for (EventAccepted e : taps) {
            assertThat(seen.add(e.eventData().get("i").asLong())).as("record %s forwarded twice", e.eventData()).isTrue();
        }
        assertThat(new HashSet<>(taps.stream().map(EventAccepted::eventId).toList())).hasSize(total);
        // transactional writes leave commit markers in laurel.events; the projections' lag still drains to 0
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var projections = getJson(ADMIN_KEY, "/v1/ops/projections", 200).get("projections");
            for (var p : projections) {
                assertThat(p.get("lag").asLong()).as("lag of %s", p.get("name").asText()).isZero();
            }
        });
    }

    private List<EventAccepted> taps() {
        List<EventAccepted> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topics.events().name(), 0)) {
            EventAccepted e = topics.events().valueSerde().deserialize(r.topic(), r.value());
            if (e.eventType().equals("tap")) {
                out.add(e);
            }
        }
        return out;
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    private void send(KafkaProducer<String, byte[]> p, String key, String tenant, String value) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.eventsInbound().name(), "default/x",
                value.getBytes(StandardCharsets.UTF_8));
        if (key != null) {
            r.headers().add(InboundHeaders.API_KEY, key.getBytes(StandardCharsets.UTF_8));
        }
        if (tenant != null) {
            r.headers().add(InboundHeaders.TENANT, tenant.getBytes(StandardCharsets.UTF_8));
        }
        p.send(r).get();
    }

    /** Every committed record of the topic now present (read_committed: aborted transactions are invisible). */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
                return out.size() >= atLeast && parts.stream().allMatch(tp -> c.position(tp) >= ends.get(tp));
            });
        }
        return out;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
