package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.projection.ProjectionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real platform, the standalone in a child JVM, killed with SIGKILL at 20%, 50% and 80% of a stream of 30,000
 * events (batches of 500 with idempotence keys, each retried until answered), and started again each time on the
 * same data directory. Afterwards: exact balances and ledger rows, leaderboard scores, one badge award and one
 * notification per user, and every award delivered to a local webhook receiver, a repeat only with the delivery
 * id already seen (at-least-once). Each restart holds every projection's partitions within 5 s of starting.
 */
class StandaloneKillIT {
    private static final String KEY = "lrl_kill_test_admin_key_0123456789";
    private static final int EVENTS = 30_000;
    private static final int USERS = 1_000;
    private static final int BATCH = 500;

    @TempDir
    Path tmp;

    private final int port = PlatformClient.freePort();
    private final int pgPort = PlatformClient.freePort();
    private final int kafkaPort = PlatformClient.freePort();
    private final int controllerPort = PlatformClient.freePort();
    private final PlatformClient api = new PlatformClient(port, KEY);
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    /** Webhook deliveries received: delivery id to the award ids it carried (one each), and how often. */
    private final Map<String, String> awardOfDelivery = new ConcurrentHashMap<>();
    private final AtomicInteger received = new AtomicInteger();
    private HttpServer receiver;

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void killedAtTwentyFiftyAndEightyPercentItEndsExactAndResumesWithinFiveSeconds() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String award = LaurelJson.mapper().readTree(body).path("award_id").asText();
            String delivery = exchange.getRequestHeaders().getFirst("X-Laurel-Delivery");
            String before = awardOfDelivery.putIfAbsent(delivery, award);
            if (before != null && !before.equals(award)) {
                awardOfDelivery.put(delivery, "CONFLICT " + before + " " + award);
            }
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        Process platform = start();
        api.call("POST", "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        api.call("POST", "/v1/admin/rules", "{\"name\":\"10 a visit\",\"event_type\":\"visit\",\"points\":10}", 201);
        api.call("POST", "/v1/admin/badges", "{\"id\":\"regular\",\"name\":\"Regular\",\"kind\":\"count\","
                + "\"event_type\":\"visit\",\"threshold\":" + EVENTS / USERS + "}", 201);
        api.call("POST", "/v1/admin/webhooks", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/awards\",\"kinds\":[\"badge_awarded\"]}", 201);

        AtomicInteger accepted = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread client = Thread.ofPlatform().start(() -> api.streamVisits(EVENTS, USERS, BATCH, 500, accepted, done));
        List<Long> resumedAfterMs = new ArrayList<>();
        for (double at : new double[]{0.2, 0.5, 0.8}) {
            await().atMost(Duration.ofMinutes(5)).until(() -> accepted.get() >= at * EVENTS);
            platform.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            platform = start();
            long running = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(this::everyProjectionHoldsItsPartitions);
            resumedAfterMs.add((System.nanoTime() - running) / 1_000_000);
        }
        client.join(Duration.ofMinutes(10).toMillis());
        assertThat(done.get()).as("every batch answered").isTrue();
        System.out.printf("kill: projections held their partitions again %s ms after each restart was up%n",
                resumedAfterMs);
        assertThat(resumedAfterMs).allMatch(ms -> ms <= 5_000);

        // exact, once everything is folded
        await().atMost(Duration.ofMinutes(10)).until(() -> count("scoring", "ledger") == EVENTS);
        await().atMost(Duration.ofMinutes(5)).until(() -> count("badges", "awards") == USERS
                && count("notifications", "notifications") >= USERS);
        assertThat(count("scoring", "ledger")).isEqualTo(EVENTS);
        assertThat(count("badges", "awards")).isEqualTo(USERS);
        assertThat(count("notifications", "notifications")).as("one notification per award").isEqualTo(USERS);
        JsonNode top = api.call("GET", "/v1/leaderboards/all-time?limit=1000", null, 200);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            JsonNode board = api.call("GET", "/v1/leaderboards/all-time?limit=1000", null, 200);
            assertThat(board.get("total").asLong()).isEqualTo(USERS);
            assertThat(board.get("entries").findValuesAsText("score")).hasSize(USERS)
                    .allMatch(s -> s.equals(Long.toString(10L * EVENTS / USERS)));
        });
        assertThat(top).isNotNull();
        for (int u = 0; u < USERS; u += 97) {
            assertThat(api.call("GET", "/v1/users/u" + u + "/points", null, 200).at("/balances/0/earned").asLong())
                    .isEqualTo(10L * EVENTS / USERS);
        }
        // webhooks: every award delivered; a repeat only under a delivery id already seen (at-least-once)
        await().atMost(Duration.ofMinutes(2)).until(() -> new HashSet<>(awardOfDelivery.values()).size() >= USERS);
        Set<String> awards = new HashSet<>(awardOfDelivery.values());
        assertThat(awards).hasSize(USERS).noneMatch(a -> a.startsWith("CONFLICT"));
        assertThat(awardOfDelivery).hasSize(USERS);
        System.out.printf("kill: %d webhook deliveries received for %d awards (%d repeats under the same id)%n",
                received.get(), USERS, received.get() - USERS);
    }


    private boolean everyProjectionHoldsItsPartitions() {
        try {
            HttpResponse<String> r = api.send("GET", "/v1/ops/projections", null);
            if (r.statusCode() != 200) {
                return false;
            }
            for (JsonNode p : LaurelJson.mapper().readTree(r.body()).get("projections")) {
                if (p.get("partitions").isEmpty() || p.get("status").asText().equals("assigning")) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private long count(String projection, String table) {
        try {
            JsonNode p = api.call("GET", "/v1/ops/projections/" + projection, null, 200);
            String schema = ProjectionStore.schemaOf(projection, p.get("generation").asInt());
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/"
                    + EmbeddedPostgresServer.DATABASE, "postgres", "postgres");
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            return -1;
        }
    }

    private Process start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 only: the child starts four times on two cores, and C2's compilations of each start would compete with
        // the folds for them (what is tested, exact totals after SIGKILLs, is the same with either compiler)
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"),
                LaurelStandalone.class.getName());
        Map<String, String> env = pb.environment();
        env.put("LAUREL_DATA_DIR", tmp.resolve("data").toString());
        env.put("LAUREL_PORT", Integer.toString(port));
        env.put("LAUREL_ADMIN_KEY", KEY);
        env.put("LAUREL_STANDALONE_POSTGRES_PORT", Integer.toString(pgPort));
        env.put("LAUREL_STANDALONE_KAFKA_PORT", Integer.toString(kafkaPort));
        env.put("LAUREL_STANDALONE_KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
        env.put("LAUREL_WEBHOOKS_ALLOWED_TARGETS", "127.0.0.1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        processes.add(p);
        List<String> tail = new CopyOnWriteArrayList<>();
        AtomicBoolean up = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Laurel is running")) {
                        up.set(true);
                    }
                    if (!up.get()) {
                        tail.add(line);
                    }
                }
            } catch (java.io.IOException ignored) {
                // killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofMinutes(3)).until(() -> up.get() || !p.isAlive());
        assertThat(up.get()).as("the standalone started: %s", tail.subList(Math.max(0, tail.size() - 30), tail.size()))
                .isTrue();
        return p;
    }
}
