package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** (b) A record that cannot be processed reaches the dead-letter topic with the reason, and processing goes on. */
class ProjectionDeadLetterIT {
    private final TestEnvironment env = LaurelTestInfra.forClass(ProjectionDeadLetterIT.class);

    @Test
    void poisonRecordsReachTheDeadLetterTopicAndProcessingGoesOn() throws Exception {
        String input = env.topics().events().name();
        try (HikariDataSource ds = ProjectionFixture.dataSource(env);
             Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers());
             ProjectionManager manager = new ProjectionManager(
                     List.of(new CountingProjection("counting", input, env.topics().points().name(), 0, false)),
                     new ProjectionStore(ds), producer, ProjectionFixture.consumerBase(env.bootstrapServers(), 500),
                     env.topicPrefix(), new ProjectionRunner.Retry(3, Duration.ofMillis(10), Duration.ofMillis(50)))) {
            // all on one key, so one partition, in this order
            ProjectionFixture.send(producer, input, "k", "{\"user\":\"a\"}");
            ProjectionFixture.send(producer, input, "k", "this is { not json");
            ProjectionFixture.send(producer, input, "k", "{\"user\":\"a\"}");
            ProjectionFixture.send(producer, input, "k", "{\"user\":\"b\",\"fail\":true}");
            ProjectionFixture.send(producer, input, "k", "{\"user\":\"b\"}");
            manager.start();

            String schema = manager.liveSchema("counting");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ProjectionFixture.counts(ds, schema).equals(Map.of("a", 2L, "b", 1L)));

            List<ConsumerRecord<String, byte[]>> dead = ProjectionFixture.readAll(env.bootstrapServers(), input + ".dlt");
            assertThat(dead).hasSize(2);
            ConsumerRecord<String, byte[]> notJson = dead.get(0);
            assertThat(new String(notJson.value(), StandardCharsets.UTF_8)).isEqualTo("this is { not json");
            assertThat(notJson.key()).isEqualTo("k");
            assertThat(header(notJson, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(input);
            assertThat(header(notJson, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("1");
            assertThat(header(notJson, DeadLetters.EXCEPTION_MESSAGE)).contains("not JSON");
            assertThat(header(notJson, DeadLetters.PROJECTION)).isEqualTo("counting");
            ConsumerRecord<String, byte[]> failing = dead.get(1);
            assertThat(header(failing, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("3");
            assertThat(header(failing, DeadLetters.EXCEPTION_FQCN)).isEqualTo(IllegalStateException.class.getName());
            assertThat(header(failing, DeadLetters.EXCEPTION_MESSAGE)).contains("this record always fails");

            ProjectionStatus status = manager.status().get(0);
            assertThat(status.deadLettered()).isEqualTo(2);
            assertThat(status.status()).isEqualTo("running");
            await().atMost(Duration.ofSeconds(10)).until(() -> manager.status().get(0).lag() == 0);
            // the side effects of the good records went out; the failed ones' did not
            assertThat(ProjectionFixture.readAll(env.bootstrapServers(), env.topics().points().name())).hasSize(3);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
