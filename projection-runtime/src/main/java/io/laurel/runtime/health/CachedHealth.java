package io.laurel.runtime.health;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The health of what a service depends on, checked in the background every {@value #PERIOD_MS} ms and answered
 * from the last result: {@code GET /actuator/health} costs a map lookup, not a database round trip and a broker
 * request per call. A check that has not come back for {@value #STALE_MS} ms counts as down (an unreachable server
 * often makes a check hang rather than fail).
 */
public final class CachedHealth implements AutoCloseable {
    static final long PERIOD_MS = 1_000;
    static final long STALE_MS = 3_000;
    private static final Logger log = LoggerFactory.getLogger(CachedHealth.class);

    private final DataSource dataSource;
    private final Admin admin;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final Check database = new Check("database");
    private final Check kafka = new Check("kafka");

    /** One component's last result. */
    static final class Check {
        final String name;
        volatile boolean up;
        volatile String error = "not checked yet";
        volatile long checkedAt;
        volatile long startedAt;
        volatile long millis;

        Check(String name) {
            this.name = name;
        }

        Health health(long now) {
            long running = startedAt > checkedAt ? now - startedAt : 0;
            boolean stale = running > STALE_MS || checkedAt == 0;
            Health.Builder b = up && !stale ? Health.up() : Health.down();
            if (checkedAt > 0) {
                b.withDetail("checked_at", Instant.ofEpochMilli(checkedAt).toString()).withDetail("millis", millis);
            }
            if (stale && checkedAt > 0) {
                return b.withDetail("error", "no answer for " + running + " ms").build();
            }
            return up ? b.build() : b.withDetail("error", error).build();
        }
    }

    public CachedHealth(DataSource dataSource, String bootstrapServers) {
        this.dataSource = dataSource;
        this.clock = System::currentTimeMillis;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000));
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "laurel-health");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> run(database, this::checkDatabase), 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> run(kafka, this::checkKafka), 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private interface Probe {
        void probe() throws Exception;
    }

    private void run(Check check, Probe probe) {
        long start = clock.getAsLong();
        check.startedAt = start;
        try {
            probe.probe();
            if (!check.up) {
                log.info("health: {} is up", check.name);
            }
            check.up = true;
            check.error = null;
        } catch (Exception e) {
            if (check.up || check.checkedAt == 0) {
                log.warn("health: {} is down: {}", check.name, e.toString());
            }
            check.up = false;
            check.error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } finally {
            long end = clock.getAsLong();
            check.millis = end - start;
            check.checkedAt = end;
        }
    }

    private void checkDatabase() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(2)) {
                throw new IllegalStateException("the connection did not validate within 2 s");
            }
        }
    }

    private void checkKafka() throws Exception {
        int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes()
                .get(2_500, TimeUnit.MILLISECONDS).size();
        if (nodes == 0) {
            throw new IllegalStateException("no broker in the cluster");
        }
    }

    public ReactiveHealthIndicator databaseIndicator() {
        return () -> Mono.fromSupplier(() -> database.health(clock.getAsLong()));
    }

    public ReactiveHealthIndicator kafkaIndicator() {
        return () -> Mono.fromSupplier(() -> kafka.health(clock.getAsLong()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
