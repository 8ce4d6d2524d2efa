package io.laurel.standalone;

import io.laurel.events.topic.TopicRegistry;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service consumers never skip silently: a record on laurel.events or laurel.points they cannot
 * read goes to its dead-letter topic with the reason, and the records behind it are still processed.
 */
class ConsumerDeadLetterIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, ConsumerDeadLetterIT.class);
    }

    @Test
    void unreadableEventsAndPointsEntriesAreDeadLetteredAndProcessingGoesOn() throws Exception {
        TestEnvironment env = LaurelTestInfra.forClass(ConsumerDeadLetterIT.class);
        TopicRegistry topics = env.topics();
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"1 per visit\",\"event_type\":\"visit\",\"points\":1}", 201);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.events().name(), "default/zed", "{not json".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topics.events().name(), "default/zed", "{\"event_type\":\"visit\"}".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topics.points().name(), "default/zed", "[1,2,3]".getBytes(StandardCharsets.UTF_8))).get();
        }
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"visit\",\"user_id\":\"zed\"}", 202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time/users/zed", 200).get("score").asLong()).isEqualTo(1));
        // each projection of laurel.events (scoring, the event log, badges) dead-letters what it cannot read
        List<ConsumerRecord<String, byte[]>> deadEvents = readAll(env, topics.events().name() + ".dlt", 6);
        assertThat(deadEvents).hasSize(6);
        assertThat(deadEvents).allSatisfy(r -> assertThat(header(r, "kafka_dlt-exception-message")).isNotBlank());
        assertThat(deadEvents).extracting(r -> header(r, "laurel_dlt-projection"))
                .containsExactlyInAnyOrder("scoring", "scoring", "event_log", "event_log", "badges", "badges");
        // and each of laurel.points (leaderboards, badges)
        List<ConsumerRecord<String, byte[]>> deadPoints = readAll(env, topics.points().name() + ".dlt", 2);
        assertThat(deadPoints).hasSize(2);
        assertThat(deadPoints).extracting(r -> header(r, "laurel_dlt-projection"))
                .containsExactlyInAnyOrder("leaderboards", "badges");
        assertThat(deadPoints).allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .isEqualTo("[1,2,3]"));

        // counted once the dead-lettered record's offset is committed, just after it is on the dead-letter topic
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long dead = 0;
            for (var p : getJson(ADMIN_KEY, "/v1/ops/projections", 200).get("projections")) {
                dead += p.get("dead_lettered").asLong();
            }
            assertThat(dead).isEqualTo(8);
        });
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(TestEnvironment env, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
        }
        return out;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
