package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the platform on one Kafka and one PostgreSQL, as two deployments of every service: the
 * partitions of each projection split between them, and each answers every leaderboard read (top, rank,
 * around-me, a board created later and filled by a rebuild) with the same figures, the whole journal's, not
 * half of it. A rebuild started through one instance is one rebuild for both: reported, and switched, through
 * the other, after which both read the new generation. A catalog write is answered once both instances have it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one tenant: the boards count the first test's members only
class TwoInstancesIT {
    private static final String KEY = "lrl_two_instances_admin_key_0123";
    private static final int USERS = 30;
    private static final int EVENTS = 600;

    private final TestEnvironment env = LaurelTestInfra.forClass(TwoInstancesIT.class);
    private final List<ConfigurableApplicationContext> apps = java.util.Collections.synchronizedList(new ArrayList<>());
    private final PlatformClient a = new PlatformClient(0, KEY);
    private final PlatformClient b = new PlatformClient(0, KEY);

    /**
     * Both at the same moment on a new database, as {@code docker compose up --scale} starts them: they create the
     * same tables, topics, secrets key file and system event types at once, and both must come up.
     */
    @BeforeAll
    void start() {
        CompletableFuture<ConfigurableApplicationContext> first = CompletableFuture.supplyAsync(() -> startInstance("two-a"));
        CompletableFuture<ConfigurableApplicationContext> second = CompletableFuture.supplyAsync(() -> startInstance("two-b"));
        // both finished before a failure is reported: a context still starting would outlive stop()
        CompletableFuture.allOf(first, second).exceptionally(e -> null).join();
        a.port(port(first.join()));
        b.port(port(second.join()));
    }

    @AfterAll
    void stop() {
        apps.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext startInstance(String id) {
        Map<String, String> props = new HashMap<>(env.laurelProperties());
        props.put("server.port", "0");
        props.put("laurel.admin-key", KEY);
        props.put("laurel.data-dir", "target/laurel-data-two-instances"); // one secrets key for both
        props.put("laurel.instance-id", id);
        ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class).run(props.entrySet()
                .stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        apps.add(app);
        return app;
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @Test
    @Order(1)
    void everyInstanceRanksTheWholeJournal() throws Exception {
        a.call("POST", "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        a.call("POST", "/v1/admin/rules", "{\"name\":\"10 a visit\",\"event_type\":\"visit\",\"points\":10}", 201);
        // a catalog write is answered once every instance has it: the other instance knows the rule at once
        assertThat(b.send("GET", "/v1/admin/rules", null).body()).contains("10 a visit");
        assertThat(b.send("GET", "/v1/admin/event-types", null).body()).contains("visit");

        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            String user = "u" + (i * 7 % USERS) + (i % 3 == 0 ? "" : "x" + (i % 5)); // uneven counts: distinct ranks
            (i % 2 == 0 ? a : b).call("POST", "/v1/events", "{\"event_type\":\"visit\",\"user_id\":\"" + user + "\"}", 202);
            expected.merge(user, 10L, Long::sum);
        }
        long total = expected.values().stream().mapToLong(Long::longValue).sum();

        // a board defined now is filled from the whole journal by one rebuild (both instances notice it is missing)
        a.call("POST", "/v1/admin/leaderboards", "{\"id\":\"weekly\",\"name\":\"This week\",\"currency\":\"points\","
                + "\"period\":\"weekly\",\"time_zone\":\"UTC\"}", 201);

        for (String board : List.of("all-time", "weekly")) {
            for (PlatformClient instance : List.of(a, b)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    JsonNode top = instance.call("GET", "/v1/leaderboards/" + board + "?limit=100", null, 200);
                    assertThat(top.get("total").asLong()).isEqualTo(expected.size());
                    long sum = 0;
                    for (JsonNode e : top.get("entries")) {
                        assertThat(e.get("score").asLong()).as(e.get("user_id").asText())
                                .isEqualTo(expected.get(e.get("user_id").asText()));
                        sum += e.get("score").asLong();
                    }
                    assertThat(sum).isEqualTo(total);
                });
            }
            // the same answers, read for read
            assertThat(a.call("GET", "/v1/leaderboards/" + board + "?limit=100", null, 200))
                    .isEqualTo(b.call("GET", "/v1/leaderboards/" + board + "?limit=100", null, 200));
            for (String user : expected.keySet()) {
                assertThat(a.call("GET", "/v1/leaderboards/" + board + "/users/" + user, null, 200))
                        .isEqualTo(b.call("GET", "/v1/leaderboards/" + board + "/users/" + user, null, 200));
            }
            String someone = expected.keySet().iterator().next();
            assertThat(a.call("GET", "/v1/leaderboards/" + board + "/around/" + someone + "?radius=3", null, 200))
                    .isEqualTo(b.call("GET", "/v1/leaderboards/" + board + "/around/" + someone + "?radius=3", null, 200));
        }
    }

    @Test
    @Order(2)
    void aRebuildStartedOnOneInstanceIsReportedAndSwitchedThroughTheOther() throws Exception {
        a.call("POST", "/v1/admin/event-types", "{\"name\":\"login\"}", 201);
        a.call("POST", "/v1/admin/rules", "{\"name\":\"3 a login\",\"event_type\":\"login\",\"points\":3}", 201);
        assertThat(b.send("GET", "/v1/admin/rules", null).body()).contains("3 a login");
        for (int i = 0; i < 100; i++) {
            (i % 2 == 0 ? a : b).call("POST", "/v1/events", "{\"event_type\":\"login\",\"user_id\":\"r" + (i % 10) + "\"}", 202);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(points(b, "r3")).isEqualTo(30));
        int before = generation(a, "scoring");

        JsonNode started = a.call("POST", "/v1/ops/projections/scoring/rebuild", "{\"switch\":\"manual\"}", 202);
        String id = started.get("id").asText();
        // one rebuild for the group: the other instance refuses a second one, and reports this one
        b.call("POST", "/v1/ops/projections/scoring/rebuild", "{\"switch\":\"manual\"}", 409);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode seen = b.call("GET", "/v1/ops/rebuilds/" + id, null, 200);
            assertThat(seen.get("status").asText()).isEqualTo("ready");
            assertThat(seen.get("records_total").asLong()).isPositive();
        });
        b.call("POST", "/v1/ops/rebuilds/" + id + "/switch", null, 200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(b.call("GET", "/v1/ops/rebuilds/" + id, null, 200).get("status").asText()).isEqualTo("completed"));
        // both instances read the new generation, with the same balances, and go on folding new events
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(generation(a, "scoring")).isEqualTo(before + 1);
            assertThat(generation(b, "scoring")).isEqualTo(before + 1);
        });
        for (int i = 0; i < 10; i++) {
            (i % 2 == 0 ? a : b).call("POST", "/v1/events", "{\"event_type\":\"login\",\"user_id\":\"r" + i + "\"}", 202);
        }
        for (PlatformClient instance : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (int u = 0; u < 10; u++) {
                    assertThat(points(instance, "r" + u)).isEqualTo(33);
                }
            });
        }
    }

    @Test
    @Order(3)
    void waitForBadgesIsAnsweredByEitherInstanceWhicheverFoldsTheEvent() throws Exception {
        a.call("POST", "/v1/admin/event-types", "{\"name\":\"signin\"}", 201);
        a.call("POST", "/v1/admin/badges", "{\"id\":\"welcome\",\"name\":\"Welcome\",\"kind\":\"first\","
                + "\"event_type\":\"signin\"}", 201);
        // twelve users spread over the partitions, which the two instances split: about half of the events are
        // folded by the badge projection of the instance that did not take the request
        for (int i = 0; i < 12; i++) {
            PlatformClient asked = i % 2 == 0 ? a : b;
            String event = "{\"event_type\":\"signin\",\"user_id\":\"w" + i + "\",\"idempotence_key\":\"w-" + i + "\"}";
            JsonNode answer = asked.call("POST", "/v1/events?wait=badges&wait_ms=10000", event, 202);
            assertThat(answer.get("badges_decided").asBoolean()).as("decided: %s", answer).isTrue();
            assertThat(answer.get("badges").findValuesAsText("badge_id")).as("%s", answer).containsExactly("welcome");
            // the same event through the other instance: a duplicate, answered with the badges it earned
            JsonNode again = (asked == a ? b : a).call("POST", "/v1/events?wait=badges", event, 200);
            assertThat(again.get("badges").findValuesAsText("award_id"))
                    .isEqualTo(answer.get("badges").findValuesAsText("award_id"));
        }
    }

    private static long points(PlatformClient instance, String user) throws Exception {
        JsonNode balances = instance.call("GET", "/v1/users/" + user + "/points", null, 200).get("balances");
        long sum = 0;
        for (JsonNode b : balances) {
            sum += b.get("earned").asLong();
        }
        return sum;
    }

    private static int generation(PlatformClient instance, String projection) throws Exception {
        for (JsonNode p : instance.call("GET", "/v1/ops/projections", null, 200).get("projections")) {
            if (p.get("name").asText().equals(projection)) {
                return p.get("generation").asInt();
            }
        }
        throw new AssertionError("no projection " + projection);
    }
}
