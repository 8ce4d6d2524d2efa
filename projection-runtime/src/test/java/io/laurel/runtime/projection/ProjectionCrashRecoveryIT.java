package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * (a) A projection process killed with SIGKILL in the middle of a batch, then restarted, loses nothing
 * and counts nothing twice: its read-model writes and offsets commit together or not at all.
 */
class ProjectionCrashRecoveryIT {
    private final TestEnvironment env = LaurelTestInfra.forClass(ProjectionCrashRecoveryIT.class);

    @Test
    void consumerKilledMidBatchAndRestartedLosesNothingAndCountsNothingTwice() throws Exception {
        String input = env.topics().events().name();
        String effects = env.topics().points().name();
        Map<String, Long> expected;
        try (Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers())) {
            expected = ProjectionFixture.sendMany(producer, input, 3000, 37, 0);
        }
        String schema = ProjectionStore.schemaOf("counting", 1);

        try (HikariDataSource ds = ProjectionFixture.dataSource(env)) {
            int kills = 0;
            long countedAtLastKill = -1;
            while (kills < 3) {
                Process child = startChild();
                AtomicBoolean inBatch = new AtomicBoolean();
                AtomicInteger batchesEnded = new AtomicInteger();
                Thread reader = follow(child, inBatch, batchesEnded);
                await().atMost(Duration.ofSeconds(60)).until(() -> batchesEnded.get() >= 2 && inBatch.get());
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(5000);
                kills++;
                long counted = ProjectionFixture.total(ProjectionFixture.counts(ds, schema));
                // killed inside a batch: what it had written of that batch is gone, the rest is intact
                assertThat(counted).isLessThan(3000).isGreaterThan(countedAtLastKill);
                countedAtLastKill = counted;
            }

            Process last = startChild();
            try {
                follow(last, new AtomicBoolean(), new AtomicInteger());
                ProjectionStore store = new ProjectionStore(ds);
                // offsets and counts commit together: once every offset is stored, the counts are final
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        store.offsets("counting", 1).values().stream().mapToLong(Long::longValue).sum() == 3000);
                assertThat(ProjectionFixture.counts(ds, schema)).isEqualTo(expected);
            } finally {
                last.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process startChild() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillableProjectionMain.class.getName(), env.bootstrapServers(), env.jdbcUrl(), env.username(),
                env.password(), env.topics().events().name(), env.topics().points().name(), env.topicPrefix());
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static Thread follow(Process child, AtomicBoolean inBatch, AtomicInteger batchesEnded) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("BEGIN")) {
                        inBatch.set(true);
                    } else if (line.equals("END")) {
                        inBatch.set(false);
                        batchesEnded.incrementAndGet();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the child was killed
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

}
