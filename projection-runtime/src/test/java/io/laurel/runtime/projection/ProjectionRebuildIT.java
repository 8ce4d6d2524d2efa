package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * (c) A rebuild fills a new generation from offset 0 beside the live one, produces the same read model
 * (same checksum), switches atomically, drops the old generation, and fires no side effect twice.
 */
class ProjectionRebuildIT {

    @Test
    void rebuildProducesAReadModelIdenticalToTheLiveOneAndSwitches() throws Exception {
        TestEnvironment env = LaurelTestInfra.fresh("rebuild-manual");
        String input = env.topics().events().name();
        String effects = env.topics().points().name();
        try (HikariDataSource ds = ProjectionFixture.dataSource(env);
             Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers());
             ProjectionManager manager = manager(env, ds, producer)) {
            Map<String, Long> expected = ProjectionFixture.sendMany(producer, input, 2000, 50, 0);
            manager.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ProjectionFixture.counts(ds, manager.liveSchema("counting")).equals(expected));
            assertThat(indexExists(ds, ProjectionStore.schemaOf("counting", 1), "counts_by_n"))
                    .as("a live generation has its readers' indexes from the start").isTrue();
            String liveChecksum = manager.store().checksum(manager.projection("counting").orElseThrow(), 1);

            RebuildView started = manager.startRebuild("counting", false);
            assertThat(started.generation()).isEqualTo(2);
            UUID id = UUID.fromString(started.id());
            await().atMost(Duration.ofSeconds(60)).until(() -> manager.rebuild(id).orElseThrow().status().equals("ready"));
            // the live generation kept serving while the new one was filled
            assertThat(manager.liveSchema("counting")).isEqualTo(ProjectionStore.schemaOf("counting", 1));
            assertThat(indexExists(ds, ProjectionStore.schemaOf("counting", 2), "counts_by_n"))
                    .as("built once the new generation caught up, before it is ready").isTrue();
            // ready: caught up, level with the live generation once (or within a few records of it for a second)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(manager.store().checksum(manager.projection("counting").orElseThrow(), 2))
                            .isEqualTo(liveChecksum).contains("counts:50:"));

            manager.switchRebuild(id);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> manager.rebuild(id).orElseThrow().status().equals("completed"));
            assertThat(manager.liveSchema("counting")).isEqualTo(ProjectionStore.schemaOf("counting", 2));
            assertThat(manager.store().liveGeneration("counting")).contains(2);
            assertThat(schemaExists(ds, ProjectionStore.schemaOf("counting", 1))).isFalse();

            Map<String, Long> more = ProjectionFixture.sendMany(producer, input, 300, 50, 2000);
            Map<String, Long> all = new HashMap<>(expected);
            more.forEach((k, v) -> all.merge(k, v, Long::sum));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ProjectionFixture.counts(ds, manager.liveSchema("counting")).equals(all));
            // one side effect per input record: none repeated by the replay
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ProjectionFixture.readAll(env.bootstrapServers(), effects).size() == 2300);
            assertThat(manager.store().findRebuild(id).orElseThrow().status()).isEqualTo("completed");
        }
    }

    @Test
    void rebuildUnderContinuousLoadSwitchesWithoutLosingOrRepeatingAnything() throws Exception {
        TestEnvironment env = LaurelTestInfra.fresh("rebuild-load");
        String input = env.topics().events().name();
        String effects = env.topics().points().name();
        try (HikariDataSource ds = ProjectionFixture.dataSource(env);
             Producer<String, byte[]> producer = ProjectionFixture.producer(env.bootstrapServers());
             ProjectionManager manager = manager(env, ds, producer)) {
            Map<String, Long> all = new HashMap<>(ProjectionFixture.sendMany(producer, input, 3000, 40, 0));
            manager.start();
            // the live generation has folded (and fired the side effects of) the first 3,000: the rebuild replays them
            Map<String, Long> first = Map.copyOf(all);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ProjectionFixture.counts(ds, manager.liveSchema("counting")).equals(first));
            RebuildView started = manager.startRebuild("counting", true);
            UUID id = UUID.fromString(started.id());
            // a steady load (50 records each 10 ms, from a thread of its own) for as long as the rebuild runs, switch
            // included: the wait is bounded by time, not by a count of records that a fast producer reaches sooner
            AtomicInteger sent = new AtomicInteger(3000);
            AtomicReference<Exception> loadFailed = new AtomicReference<>();
            ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
            load.scheduleWithFixedDelay(() -> {
                try {
                    ProjectionFixture.sendMany(producer, input, 50, 40, sent.get()).forEach((k, v) -> all.merge(k, v, Long::sum));
                    sent.addAndGet(50);
                } catch (Exception e) {
                    loadFailed.compareAndSet(null, e); // and no further sends: the run's counts would be wrong
                    throw new IllegalStateException(e);
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
            AtomicInteger sentWhenSwitching = new AtomicInteger(-1);
            AtomicReference<RebuildView> last = new AtomicReference<>();
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
                    RebuildView now = manager.rebuild(id).orElseThrow();
                    last.set(now);
                    assertThat(now.status()).isNotIn("failed", "cancelled");
                    if (now.status().equals("switching")) {
                        sentWhenSwitching.compareAndSet(-1, sent.get());
                    }
                    return now.status().equals("completed");
                });
            } finally {
                load.shutdown();
                assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).as("the load stopped").isTrue();
            }
            assertThat(loadFailed.get()).as("the load's sends").isNull();
            assertThat(last.get().recordsProcessed()).as("the new generation replayed the history")
                    .isGreaterThanOrEqualTo(3000);
            assertThat(sentWhenSwitching.get()).as("the switch was seen under way").isPositive();
            assertThat(sent.get()).as("records arrived during the switch").isGreaterThan(sentWhenSwitching.get());
            ProjectionFixture.sendMany(producer, input, 100, 40, sent.get()).forEach((k, v) -> all.merge(k, v, Long::sum));
            int total = sent.get() + 100;
            assertThat(manager.liveGeneration("counting")).isEqualTo(2);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ProjectionFixture.counts(ds, manager.liveSchema("counting")).equals(all));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ProjectionFixture.readAll(env.bootstrapServers(), effects).size() >= total);
            assertThat(ProjectionFixture.readAll(env.bootstrapServers(), effects)).hasSize(total);
        }
    }

    private static ProjectionManager manager(TestEnvironment env, HikariDataSource ds, Producer<String, byte[]> producer) {
        return new ProjectionManager(
                List.of(new CountingProjection("counting", env.topics().events().name(), env.topics().points().name(), 0,
                        false)),
                new ProjectionStore(ds), producer, ProjectionFixture.consumerBase(env.bootstrapServers(), 200),
                env.topicPrefix(), ProjectionRunner.Retry.DEFAULT);
    }

    private static boolean schemaExists(HikariDataSource ds, String schema) throws Exception {
        try (Connection c = ds.getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT 1 FROM information_schema.schemata WHERE schema_name = '" + schema + "'")) {
            return rs.next();
        }
    }

    @Test
    void aGenerationToRebuildIsCreatedWithoutItsReadersIndexes() throws Exception {
        TestEnvironment env = LaurelTestInfra.fresh("rebuild-indexes");
        try (HikariDataSource ds = ProjectionFixture.dataSource(env)) {
            ProjectionStore store = new ProjectionStore(ds);
            store.initialize();
            CountingProjection projection = new CountingProjection("counting", env.topics().events().name(),
                    env.topics().points().name(), 0, false);
            store.createGeneration(projection, 7);
            String schema = ProjectionStore.schemaOf(projection.name(), 7);
            assertThat(indexExists(ds, schema, "counts_pkey")).as("the fold's key").isTrue();
            assertThat(indexExists(ds, schema, "counts_by_n")).isFalse();
            store.createIndexes(projection, 7);
            assertThat(indexExists(ds, schema, "counts_by_n")).isTrue();
            store.dropGeneration(projection.name(), 7);
        }
    }

    private static boolean indexExists(HikariDataSource ds, String schema, String index) throws Exception {
        try (Connection c = ds.getConnection(); var ps = c.prepareStatement(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND indexname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }
}
