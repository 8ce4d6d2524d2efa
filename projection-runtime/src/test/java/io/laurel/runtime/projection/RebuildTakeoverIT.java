package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild outlives the instance running it: instance A (a child JVM) starts a rebuild waiting for a manual
 * switch and is killed with SIGKILL while it fills the new generation; instance B, in this JVM, takes the rebuild
 * over once A's heartbeat has been silent for the owner timeout, goes on from the offsets the new generation
 * stored (not from 0: the counts would double), folds what arrived meanwhile, and switches when asked. The new
 * generation ends exact and the old one is dropped.
 */
class RebuildTakeoverIT {
    private static final int RECORDS = 20_000;
    private static final int USERS = 53;
    private final TestEnvironment env = LaurelTestInfra.forClass(RebuildTakeoverIT.class);

    @Test
    void aRebuildWhoseInstanceIsKilledIsTakenOverAndEndsExact() throws Exception {
        String input = env.topics().events().name() + ".takeover";
        String prefix = env.topicPrefix() + ".takeover";
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(input, 2, (short) 1))).all().get();
        }
        Map<String, Long> expected = new HashMap<>();
        try (HikariDataSource ds = ProjectionFixture.dataSource(env);
             Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers())) {
            ProjectionStore store = new ProjectionStore(ds);
            expected.putAll(ProjectionFixture.sendMany(producer, input, RECORDS, USERS, 0));
            // instance B folds without delay; A (the child) folds 2 ms per record, so its rebuild takes a while
            ProjectionManager b = new ProjectionManager(
                    List.of(new CountingProjection("takeover", input, env.topics().points().name(), 0, false)),
                    store, producer, ProjectionFixture.consumerBase(env.bootstrapServers(), 500), prefix,
                    ProjectionRunner.Retry.DEFAULT, "takeover-b");
            try (b) {
                b.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> stored(store, 1) == RECORDS);

                Process a = startChild(input, prefix);
                UUID id;
                try {
                    id = UUID.fromString(rebuildIdOf(a).get(60, TimeUnit.SECONDS));
                    // killed while its rebuild fills generation 2 (its progress, as its heartbeat stored it)
                    await().atMost(Duration.ofSeconds(60)).until(() -> stored(store, 2) >= 2_000);
                    assertThat(store.findRebuild(id)).hasValueSatisfying(v -> assertThat(v.status()).isEqualTo("running"));
                } finally {
                    a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                long killedAt = System.nanoTime();
                long storedAtKill = stored(store, 2);
                assertThat(storedAtKill).isLessThan(RECORDS);
                assertThat(ownerOf(ds, id)).isNotEqualTo(b.owner());

                // more records while nobody runs the rebuild: the live generation folds them, the rebuild later
                expected.putAll(merge(expected, ProjectionFixture.sendMany(producer, input, 1_000, USERS, RECORDS)));

                // B takes it over (owner timeout 15 s, checked every 5 s), catches up and waits for the switch
                await().atMost(Duration.ofSeconds(60)).until(() -> b.owner().equals(ownerOf(ds, id)));
                System.out.println("rebuild taken over " + (System.nanoTime() - killedAt) / 1_000_000
                        + " ms after its instance was killed, " + storedAtKill + " records in");
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        store.findRebuild(id).map(v -> v.status().equals("ready")).orElse(false));
                assertThat(b.liveGeneration("takeover")).isEqualTo(1);
                b.switchRebuild(id);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        store.findRebuild(id).map(v -> v.status().equals("completed")).orElse(false));

                assertThat(b.liveGeneration("takeover")).isEqualTo(2);
                assertThat(store.liveGeneration("takeover")).contains(2);
                assertThat(store.generationExists("takeover", 1)).isFalse();
                assertThat(ProjectionFixture.counts(ds, ProjectionStore.schemaOf("takeover", 2))).isEqualTo(expected);
                assertThat(stored(store, 2)).isEqualTo(RECORDS + 1_000);
            }
        }
    }

    private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> more) {
        Map<String, Long> all = new HashMap<>(a);
        more.forEach((k, v) -> all.merge(k, v, Long::sum));
        return all;
    }

    private static long stored(ProjectionStore store, int generation) throws Exception {
        return store.offsets("takeover", generation).values().stream().mapToLong(Long::longValue).sum();
    }

    private static String ownerOf(HikariDataSource ds, UUID id) throws Exception {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT owner FROM laurel_runtime.rebuilds WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private Process startChild(String input, String prefix) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillableProjectionMain.class.getName(), env.bootstrapServers(), env.jdbcUrl(), env.username(),
                env.password(), input, env.topics().points().name(), prefix, "takeover-a", "takeover", "rebuild");
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** The id the child prints once its rebuild started; its other output is passed on to this test's. */
    private static CompletableFuture<String> rebuildIdOf(Process child) {
        CompletableFuture<String> id = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("REBUILD ")) {
                        id.complete(line.substring(8).trim());
                    } else if (!line.startsWith("STATUS ") && !line.startsWith("BEGIN") && !line.equals("END")) {
                        System.out.println("[instance a] " + line);
                    }
                }
            } catch (Exception e) {
                id.completeExceptionally(e);
            }
            id.completeExceptionally(new IllegalStateException("instance a ended without starting a rebuild"));
        });
        t.setDaemon(true);
        t.start();
        return id;
    }
}
