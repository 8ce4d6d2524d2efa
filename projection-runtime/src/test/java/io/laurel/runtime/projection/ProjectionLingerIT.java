package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Under a trickle of records (one every 5 ms) a live projection applies them in batches that waited up to
 * {@link ProjectionRunner#LINGER_MS} for more, not one transaction per record: at most about one batch per linger
 * window of the time the records took to arrive. Every record is applied once.
 */
class ProjectionLingerIT {

    @Test
    void aTrickleIsAppliedInBatchesThatLingeredNotRecordByRecord() throws Exception {
        TestEnvironment env = LaurelTestInfra.fresh("linger");
        String input = env.topics().events().name();
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger records = new AtomicInteger();
        CountingProjection counting = new CountingProjection("counting", input, env.topics().points().name(), 0, false);
        Projection counted = new Projection() {
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
                batches.incrementAndGet();
                records.addAndGet(batch.size());
                counting.apply(batch, tx);
            }
        };
        try (HikariDataSource ds = ProjectionFixture.dataSource(env);
             Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers());
             ProjectionManager manager = new ProjectionManager(List.of(counted), new ProjectionStore(ds), producer,
                     ProjectionFixture.consumerBase(env.bootstrapServers(), 2000), env.topicPrefix(),
                     ProjectionRunner.Retry.DEFAULT)) {
            manager.start();
            int partitions = producer.partitionsFor(input).size();
            await().atMost(Duration.ofSeconds(60)).until(() -> manager.status().get(0).partitions().size() == partitions);

            int count = 300;
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String user = "u" + (i % 7);
                producer.send(new ProducerRecord<>(input, user, ("{\"user\":\"" + user + "\"}")
                        .getBytes(StandardCharsets.UTF_8)));
                producer.flush();
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // the trickle's pacing
            }
            long sendingMs = (System.nanoTime() - started) / 1_000_000;
            await().atMost(Duration.ofSeconds(60)).until(() -> records.get() >= count);

            assertThat(ProjectionFixture.total(ProjectionFixture.counts(ds, manager.liveSchema("counting"))))
                    .isEqualTo(count);
            // record by record this would be about one batch per 5 ms of sending; lingering, one per 20 ms at most
            assertThat(batches.get()).as("batches for %d records sent over %d ms", count, sendingMs)
                    .isLessThanOrEqualTo((int) (sendingMs / ProjectionRunner.LINGER_MS) + 5)
                    .isLessThan(count / 2);
        }
    }
}
