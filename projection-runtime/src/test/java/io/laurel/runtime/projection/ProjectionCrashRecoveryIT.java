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
 * and counts nothing twice: its read-model writes and offsets commit together or not at all. (b) Each restart
 * holds its partitions again within 5 s (static group membership; the member the killed process left is
 * removed), although the group's session is 6 s. (c) A process that cannot take its partitions yet says so
 * ({@code assigning}) with the lag of the offsets stored with its read model, not 0.
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
                Process child = startChild("crash-test-instance");
                AtomicBoolean inBatch = new AtomicBoolean();
                AtomicInteger batchesEnded = new AtomicInteger();
                Child followed = new Child();
                Thread reader = follow(child, inBatch, batchesEnded, followed);
                if (kills > 0) {
                    assertResumesWithinFiveSeconds(followed);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> batchesEnded.get() >= 2 && inBatch.get());
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(5000);
                kills++;
                long counted = ProjectionFixture.total(ProjectionFixture.counts(ds, schema));
                // killed inside a batch: what it had written of that batch is gone, the rest is intact
                assertThat(counted).isLessThan(3000).isGreaterThan(countedAtLastKill);
                countedAtLastKill = counted;
            }

            Process last = startChild("crash-test-instance");
            try {
                Child followed = new Child();
                follow(last, new AtomicBoolean(), new AtomicInteger(), followed);
                assertResumesWithinFiveSeconds(followed);
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

    @Test
    void aProcessWaitingForItsPartitionsIsAssigningWithTheLagOfItsStoredOffsets() throws Exception {
        String input = env.topics().events().name() + ".waiting";
        topicWith(input, 3, 1200, 11);
        String prefix = env.topicPrefix() + ".waiting";
        try (HikariDataSource ds = ProjectionFixture.dataSource(env)) {
            ProjectionStore store = new ProjectionStore(ds);
            // a dynamic member (no instance id) killed mid-stream: the group keeps its partitions until its
            // session expires, and a new process cannot take them meanwhile. The broker's 6 s are set to 20 s for
            // this group: the restarted JVM's first status must come before that, also on a slow machine
            groupSessionTimeout(prefix + ".waiting.g1", Duration.ofSeconds(20));
            Process first = startChild("-", input, prefix, "waiting");
            AtomicBoolean inBatch = new AtomicBoolean();
            AtomicInteger batchesEnded = new AtomicInteger();
            follow(first, inBatch, batchesEnded, new Child());
            await().atMost(Duration.ofSeconds(60)).until(() -> batchesEnded.get() >= 2);
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            // a COMMIT the killed process sent just before it died still completes in PostgreSQL: read the stored
            // offsets once they stopped moving
            java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong(-1);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(500))
                    .until(() -> {
                        long now = store.offsets("waiting", 1).values().stream().mapToLong(Long::longValue).sum();
                        return seen.getAndSet(now) == now;
                    });
            long stored = seen.get();
            assertThat(stored).isLessThan(1200);

            Process second = startChild("-", input, prefix, "waiting");
            try {
                Child followed = new Child();
                follow(second, new AtomicBoolean(), new AtomicInteger(), followed);
                await().atMost(Duration.ofSeconds(30)).until(() -> followed.started.get() > 0);
                await().atMost(Duration.ofSeconds(5)).until(() -> !followed.statuses.isEmpty());
                // before the dead member's session expired: what waits, from the stored offsets
                assertThat(followed.statuses.get(0)).isEqualTo("assigning " + (1200 - stored) + " 0");
                await().atMost(Duration.ofSeconds(60)).until(() -> followed.holdingAfterMs.get() >= 0);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        store.offsets("waiting", 1).values().stream().mapToLong(Long::longValue).sum() == 1200);
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        followed.statuses.get(followed.statuses.size() - 1).equals("running 0 3"));
            } finally {
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void whenTheDeadMemberCannotBeRemovedTheRestartJoinsOnceItsSessionEndsInsteadOfFailing() throws Exception {
        String input = env.topics().events().name() + ".unreleased";
        topicWith(input, 2, 600, 7);
        String prefix = env.topicPrefix() + ".unreleased";
        try (HikariDataSource ds = ProjectionFixture.dataSource(env)) {
            ProjectionStore store = new ProjectionStore(ds);
            Process first = startChild("unreleased-instance", input, prefix, "unreleased");
            AtomicInteger batchesEnded = new AtomicInteger();
            follow(first, new AtomicBoolean(), batchesEnded, new Child());
            await().atMost(Duration.ofSeconds(60)).until(() -> batchesEnded.get() >= 2);
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            // the same instance id, without removing the dead member: the broker refuses the join until the
            // dead member's session (6 s) ends; the runner keeps trying instead of failing
            Process second = startChild("unreleased-instance", input, prefix, "unreleased", "no-release");
            try {
                Child followed = new Child();
                follow(second, new AtomicBoolean(), new AtomicInteger(), followed);
                await().atMost(Duration.ofSeconds(60)).until(() -> followed.holdingAfterMs.get() >= 0);
                assertThat(followed.statuses).noneMatch(st -> st.startsWith("failed"));
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        store.offsets("unreleased", 1).values().stream().mapToLong(Long::longValue).sum() == 600);
            } finally {
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The session timeout of one consumer group (a group config of the consumer protocol, KIP-848). */
    private void groupSessionTimeout(String group, Duration timeout) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.GROUP, group), List.of(
                    new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                            "consumer.session.timeout.ms", String.valueOf(timeout.toMillis())),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A topic of its own for one test, with {@code records} records for {@code users} users in it. */
    private void topicWith(String topic, int partitions, int records, int users) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1))).all().get();
        }
        try (Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers())) {
            ProjectionFixture.sendMany(producer, topic, records, users, 0);
        }
    }

    private static void assertResumesWithinFiveSeconds(Child child) {
        await().atMost(Duration.ofSeconds(60)).until(() -> child.started.get() > 0);
        await().atMost(Duration.ofSeconds(8)).until(() -> child.holdingAfterMs.get() >= 0);
        System.out.println("restarted projection held every partition again " + child.holdingAfterMs.get()
                + " ms after it started");
        assertThat(child.holdingAfterMs.get()).as("ms from start until every partition was held again")
                .isLessThanOrEqualTo(5_000);
    }

    /** What a child printed: when it started, when it held every partition, and its statuses in order. */
    private static final class Child {
        final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong holdingAfterMs = new java.util.concurrent.atomic.AtomicLong(-1);
        final List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    }

    private Process startChild(String instanceId) throws Exception {
        return startChild(instanceId, env.topics().events().name(), env.topicPrefix(), "counting");
    }

    private Process startChild(String instanceId, String input, String groupPrefix, String name, String... more)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                KillableProjectionMain.class.getName(), env.bootstrapServers(), env.jdbcUrl(), env.username(),
                env.password(), input, env.topics().points().name(), groupPrefix, instanceId, name));
        command.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static Thread follow(Process child, AtomicBoolean inBatch, AtomicInteger batchesEnded, Child seen) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals("STARTED")) {
                        seen.started.set(System.nanoTime());
                    } else if (line.startsWith("HOLDING ")) {
                        seen.holdingAfterMs.set(Long.parseLong(line.substring(8).trim()));
                    } else if (line.startsWith("STATUS ")) {
                        seen.statuses.add(line.substring(7).trim());
                    } else if (line.startsWith("BEGIN")) {
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
