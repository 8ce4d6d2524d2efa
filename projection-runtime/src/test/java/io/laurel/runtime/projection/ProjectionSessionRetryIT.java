package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A projection whose consumer session fails (here: the projection throws an Error out of its batch, which no batch
 * retry handles) is not left idle: the status says {@code failed} with the error, the shared consumer loop opens
 * a new session after its back-off, and the new session resumes from the offsets stored with the read model. Every
 * record ends up counted exactly once.
 */
class ProjectionSessionRetryIT {

    @Test
    void aFailedSessionIsFollowedByANewOneAndNothingIsCountedTwice() throws Exception {
        TestEnvironment env = LaurelTestInfra.fresh("session-retry");
        String input = env.topics().events().name();
        CountingProjection counting = new CountingProjection("counting", input, env.topics().points().name(), 0, false);
        AtomicInteger failuresLeft = new AtomicInteger(3);
        ConcurrentLinkedQueue<String> states = new ConcurrentLinkedQueue<>();
        Projection flaky = new Projection() {
            @Override
            public String name() {
                return counting.name();
            }

            @Override
            public List<String> topics() {
                return counting.topics();
            }

            @Override
            public List<String> tables() {
                return counting.tables();
            }

            @Override
            public void createTables(Connection c, String schema) throws SQLException {
                counting.createTables(c, schema);
            }

            @Override
            public void apply(List<ConsumerRecord<String, byte[]>> batch, ProjectionTx tx) throws Exception {
                counting.apply(batch, tx); // written, then thrown away with the transaction
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new AssertionError("a bug in the projection");
                }
            }
        };
        try (HikariDataSource ds = ProjectionFixture.dataSource(env);
             Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers());
             ProjectionManager manager = new ProjectionManager(List.of(flaky), new ProjectionStore(ds), producer,
                     ProjectionFixture.consumerBase(env.bootstrapServers(), 2000), env.topicPrefix(),
                     ProjectionRunner.Retry.DEFAULT)) {
            Map<String, Long> sent = ProjectionFixture.sendMany(producer, input, 500, 20, 0);
            manager.start();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
                ProjectionStatus st = manager.status().get(0);
                states.add(st.status());
                return failuresLeft.get() < 0 && ProjectionFixture.total(
                        ProjectionFixture.counts(ds, manager.liveSchema("counting"))) == 500;
            });
            assertThat(ProjectionFixture.counts(ds, manager.liveSchema("counting"))).isEqualTo(sent);
            assertThat(states).as("the failed sessions were reported").contains("failed");
            assertThat(manager.status().get(0).deadLettered()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> manager.status().get(0).status().equals("running"));
        }
    }
}
