package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform against real servers that go away: PostgreSQL stopped for 20 s in the middle of a stream and
 * started again on its data directory; then the Kafka broker (a JVM of its own) stopped and started again on its
 * log directories. Meanwhile a client streams events with idempotence keys and retries each until it is answered.
 * During each outage requests answer 503 with Retry-After (never 500, never later than the configured timeouts)
 * and the status says {@code outage}; afterwards every balance and leaderboard score is exact, nothing was
 * dead-lettered, and every projection is {@code running}.
 */
@org.junit.jupiter.api.Tag(RunsAlone.TAG)
class OutageIT {
    private static final String KEY = "lrl_outage_admin_key_0123456789";
    private static final int EVENTS = 1200;
    private static final int USERS = 40;
    /** The longest a request may take during an outage: the 3 s timeouts configured below, and slack. */
    private static final long MAX_ANSWER_MS = 8_000;

    @TempDir
    Path tmp;

    private final int pgPort = PlatformClient.freePort();
    private final int kafkaPort = PlatformClient.freePort();
    private final int controllerPort = PlatformClient.freePort();
    private final PlatformClient platform = new PlatformClient(0, KEY);
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong slowest503 = new java.util.concurrent.atomic.AtomicLong();
    private EmbeddedPostgresServer postgres;
    private Process kafka;
    private ConfigurableApplicationContext app;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.destroy();
            kafka.waitFor(60, TimeUnit.SECONDS);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aDatabaseAndABrokerOutageMidStreamLoseNothingAndAnswer503MeanwhileNot500() throws Exception {
        postgres = EmbeddedPostgresServer.start(tmp.resolve("pg"), pgPort);
        kafka = startKafka();
        app = startPlatform();
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
        platform.port(port);
        platform.call("POST", "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        platform.call("POST", "/v1/admin/rules", "{\"name\":\"10 a visit\",\"event_type\":\"visit\",\"points\":10}", 201);

        AtomicInteger accepted = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread client = Thread.ofPlatform().start(() -> stream(accepted, done));

        // ---- PostgreSQL away for 20 s
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= 200);
        postgres.close();
        long pgDown = System.nanoTime();
        // events without a key need no database to be accepted; folding them does
        int keyless = 0;
        for (int i = 0; i < 10; i++) {
            if (timed("POST", "/v1/events", "{\"event_type\":\"visit\",\"user_id\":\"nokey\"}").statusCode() == 202) {
                keyless++;
            }
        }
        HttpResponse<String> read = timed("GET", "/v1/users/u1/points", null);
        assertUnavailable(read, "DATABASE_UNAVAILABLE");
        // the health, answered from states checked in the background, says so within seconds
        await().atMost(Duration.ofSeconds(10)).until(() -> platform.send("GET", "/actuator/health", null).statusCode() == 503);
        await().atMost(Duration.ofSeconds(15)).until(() -> projectionStatuses().contains("outage"));
        // PostgreSQL stays away 20 s in all; meanwhile the health must keep saying so
        holdOutage(pgDown, Duration.ofSeconds(20));
        int beforeRestart = accepted.get();
        postgres = EmbeddedPostgresServer.start(tmp.resolve("pg"), pgPort);
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() > beforeRestart + 50);

        // ---- the broker away for 15 s
        await().atMost(Duration.ofSeconds(120)).until(() -> accepted.get() >= 700);
        kafka.destroy();
        assertThat(kafka.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long kafkaDown = System.nanoTime();
        assertUnavailable(timed("POST", "/v1/events",
                "{\"event_type\":\"visit\",\"user_id\":\"probe\",\"idempotence_key\":\"probe-1\"}"), "EVENT_LOG_UNAVAILABLE");
        assertThat(timed("GET", "/v1/users/u1/points", null).statusCode()).as("reads from PostgreSQL go on").isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> projectionStatuses().contains("outage"));
        await().atMost(Duration.ofSeconds(10)).until(() -> platform.send("GET", "/actuator/health", null).statusCode() == 503);
        holdOutage(kafkaDown, Duration.ofSeconds(15));
        kafka = startKafka();
        // the probe, retried now, counts once
        await().atMost(Duration.ofSeconds(60)).until(() -> timed("POST", "/v1/events",
                "{\"event_type\":\"visit\",\"user_id\":\"probe\",\"idempotence_key\":\"probe-1\"}").statusCode() / 100 == 2);

        client.join(Duration.ofMinutes(5).toMillis());
        assertThat(done.get()).as("every event answered").isTrue();
        assertThat(accepted.get()).isEqualTo(EVENTS);
        assertThat(problems).as("answers that were neither 2xx nor a prompt 503 with Retry-After").isEmpty();
        assertThat(statuses.keySet()).as("statuses answered to the client").contains(503).doesNotContain(500);

        // ---- afterwards: exact, nothing dead-lettered, running
        int keylessCounted = keyless;
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (int u = 0; u < USERS; u++) {
                assertThat(earned("u" + u)).as("u" + u).isEqualTo(10L * (EVENTS / USERS));
            }
            assertThat(earned("nokey")).isEqualTo(10L * keylessCounted);
            assertThat(earned("probe")).isEqualTo(10);
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int u = 0; u < USERS; u++) {
                assertThat(platform.call("GET", "/v1/leaderboards/all-time/users/u" + u, null, 200).get("score").asLong())
                        .isEqualTo(10L * (EVENTS / USERS));
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> projectionStatuses().stream().allMatch("running"::equals));
        assertThat(platform.send("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
        for (JsonNode p : platform.call("GET", "/v1/ops/projections", null, 200).get("projections")) {
            assertThat(p.get("dead_lettered").asLong()).as(p.get("name").asText()).isZero();
        }
        System.out.printf("outage: %d events, %d answers in all; statuses %s; slowest 503 %d ms%n", EVENTS,
                statuses.values().stream().mapToInt(AtomicInteger::get).sum(), statuses, slowest503.get());
    }

    /**
     * Keeps the outage that began at {@code since} (nanoTime) going until it has lasted {@code length}, checking
     * every second that the health still answers 503 throughout.
     */
    private void holdOutage(long since, Duration length) {
        await().atMost(length.plusSeconds(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(platform.send("GET", "/actuator/health", null).statusCode()).as("health during the outage")
                    .isEqualTo(503);
            return System.nanoTime() - since >= length.toNanos();
        });
    }

    /** Sends EVENTS events with idempotence keys, in order, each until it is answered 2xx. */
    private void stream(AtomicInteger accepted, AtomicBoolean done) {
        for (int i = 0; i < EVENTS; i++) {
            String body = "{\"event_type\":\"visit\",\"user_id\":\"u" + (i % USERS) + "\",\"idempotence_key\":\"v-" + i + "\"}";
            while (true) {
                HttpResponse<String> r = timed("POST", "/v1/events", body);
                if (r != null && r.statusCode() / 100 == 2) {
                    accepted.incrementAndGet();
                    break;
                }
                PlatformClient.sleep(200);
            }
            PlatformClient.sleep(15);
        }
        done.set(true);
    }

    /** A request, checked: each answer is 2xx, or 503 with Retry-After and a problem code, within MAX_ANSWER_MS. */
    private HttpResponse<String> timed(String method, String path, String body) {
        long start = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = platform.send(method, path, body);
        } catch (Exception e) {
            problems.add(method + " " + path + ": " + e);
            return null;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        if (r.statusCode() == 503) {
            slowest503.accumulateAndGet(ms, Math::max);
        }
        if (ms > MAX_ANSWER_MS) {
            problems.add(method + " " + path + " took " + ms + " ms");
        }
        if (r.statusCode() / 100 != 2 && !(r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent())) {
            problems.add(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private static void assertUnavailable(HttpResponse<String> r, String code) throws Exception {
        assertThat(r).isNotNull();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(LaurelJson.mapper().readTree(r.body()).get("code").asText()).isEqualTo(code);
    }

    private List<String> projectionStatuses() throws Exception {
        HttpResponse<String> r = platform.send("GET", "/v1/ops/projections", null);
        if (r.statusCode() != 200) {
            return List.of();
        }
        return LaurelJson.mapper().readTree(r.body()).get("projections").findValuesAsText("status");
    }

    private long earned(String user) throws Exception {
        JsonNode b = platform.call("GET", "/v1/users/" + user + "/points", null, 200).get("balances");
        long sum = 0;
        for (JsonNode x : b) {
            sum += x.get("earned").asLong();
        }
        return sum;
    }

    private Process startKafka() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                InfraMain.class.getName(), "kafka", tmp.resolve("kafka").toString(), Integer.toString(kafkaPort),
                Integer.toString(controllerPort)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not start in 120 s");
            }
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // the broker's log, not needed
                }
            } catch (java.io.IOException ignored) {
                // the broker stopped
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private ConfigurableApplicationContext startPlatform() {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "0");
        props.put("laurel.admin-key", KEY);
        props.put("laurel.data-dir", tmp.resolve("data").toString());
        props.put("laurel.kafka.bootstrap-servers", "localhost:" + kafkaPort);
        props.put("laurel.postgres.host", "localhost");
        props.put("laurel.postgres.port", Integer.toString(pgPort));
        props.put("laurel.postgres.database", EmbeddedPostgresServer.DATABASE);
        props.put("laurel.postgres.username", "postgres");
        props.put("laurel.postgres.password", "postgres");
        props.put("laurel.postgres.connect-timeout", "3s");
        props.put("laurel.ingest.append-timeout", "3s");
        // static group members, as a deployed instance runs them (a random port alone would make them dynamic)
        props.put("laurel.instance-id", "outage-it");
        return new SpringApplicationBuilder(StandaloneApplication.class).run(props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }
}
