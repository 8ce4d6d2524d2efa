package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.laurel.badge.webhook.WebhookDispatcher;
import io.laurel.badge.webhook.Webhooks;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed webhooks to a local HTTP server: the signature verifies, a 500 is retried until it succeeds, an
 * achievement delivered twice is sent once, the URL template is filled, and a rebuild sends nothing.
 */
class WebhooksIT extends PlatformTestSupport {
    private HttpServer receiver;
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsByDelivery = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, WebhooksIT.class);
        // the receiver runs on this machine: let loopback 127.0.0.1 through (not ::1, not the rest of 127/8)
        registry.add("laurel.webhooks.allowed-targets", () -> "127.0.0.1");
    }

    @org.springframework.beans.factory.annotation.Autowired
    Webhooks webhooks;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String delivery = exchange.getRequestHeaders().getFirst("X-Laurel-Delivery");
            int attempt = attemptsByDelivery.computeIfAbsent(delivery, d -> new AtomicInteger()).incrementAndGet();
            received.add(Map.of("path", exchange.getRequestURI().toString(), "body", body, "delivery", delivery,
                    "timestamp", exchange.getRequestHeaders().getFirst("X-Laurel-Timestamp"),
                    "signature", exchange.getRequestHeaders().getFirst("X-Laurel-Signature"),
                    "attempt", String.valueOf(attempt)));
            int status = attempt == 1 ? 500 : 204; // every delivery fails once, then succeeds
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void awardsAreSignedRetriedDeliveredOnceAndNotResentByARebuild() throws Exception {
        TestEnvironment env = LaurelTestInfra.forClass(WebhooksIT.class);
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        JsonNode hook = postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":\"" + base
                + "/hooks/{badge_id}?user={user_id}\",\"kinds\":[\"badge_awarded\"]}", 201);
        String secret = hook.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(getJson(ADMIN_KEY, "/v1/admin/webhooks", 200).get("webhooks").findValuesAsText("secret")).isEmpty();

        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"star\",\"name\":\"Star\",\"kind\":\"manual\"}", 201);
        postJson(ADMIN_KEY, "/v1/badges/star/grants", "{\"user_id\":\"ann@example.com\"}", 201);

        // first attempt answered 500, the retry (after a second) 204
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 2);
        Map<String, String> first = received.get(0);
        Map<String, String> retry = received.get(1);
        assertThat(retry.get("delivery")).isEqualTo(first.get("delivery"));
        assertThat(retry.get("body")).isEqualTo(first.get("body"));
        assertThat(first.get("path")).isEqualTo("/hooks/star?user=ann%40example.com");
        for (Map<String, String> r : List.of(first, retry)) {
            long ts = Long.parseLong(r.get("timestamp"));
            assertThat(Math.abs(Instant.now().getEpochSecond() - ts)).isLessThan(60);
            assertThat(r.get("signature")).isEqualTo("sha256=" + Webhooks.sign(secret, ts, r.get("body")));
            assertThat(r.get("signature")).isNotEqualTo("sha256=" + Webhooks.sign("whsec_other", ts, r.get("body")));
        }
        JsonNode achievement = json(first.get("body").getBytes(StandardCharsets.UTF_8));
        assertThat(achievement.get("badge_id").asText()).isEqualTo("star");
        String hookId = hook.get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(getJson(ADMIN_KEY,
                "/v1/admin/webhooks/" + hookId + "/deliveries", 200).at("/deliveries/0/status").asText()));
        JsonNode log = getJson(ADMIN_KEY, "/v1/admin/webhooks/" + hookId + "/deliveries", 200).at("/deliveries/0");
        assertThat(log.get("attempts").asInt()).isEqualTo(2);
        assertThat(log.get("log").findValuesAsText("status")).containsExactly("500", "204");

        // the same achievement arrives again (at-least-once): not delivered twice
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                env.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(env.topics().achievements().name(), "default/ann@example.com",
                    first.get("body").getBytes(StandardCharsets.UTF_8))).get();
        }
        // a later award is delivered, so the duplicate before it has been seen by then
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"moon\",\"kind\":\"manual\"}", 201);
        postJson(ADMIN_KEY, "/v1/badges/moon/grants", "{\"user_id\":\"bo\"}", 201);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(r ->
                r.get("path").startsWith("/hooks/moon") && r.get("attempt").equals("2")));
        assertThat(received.stream().filter(r -> r.get("delivery").equals(first.get("delivery")))).hasSize(2);

        // a rebuild of the webhook consumer replays every achievement and sends nothing
        int before = received.size();
        String id = postJson(ADMIN_KEY, "/v1/ops/projections/webhooks/rebuild", "{}", 202).get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "completed".equals(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + id, 200).get("status").asText()));
        // the next award after the rebuild is the only thing sent (twice: it fails once)
        postJson(ADMIN_KEY, "/v1/badges/moon/grants", "{\"user_id\":\"cy\"}", 201);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(r ->
                r.get("path").equals("/hooks/moon?user=cy") && r.get("attempt").equals("2")));
        assertThat(received.subList(before, received.size())).extracting(r -> r.get("path"))
                .containsOnly("/hooks/moon?user=cy").hasSize(2);

        // bad input, and unsubscribing
        JsonNode bad = postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":\"ftp://x/{nope}\",\"kinds\":[\"party\"]}", 422);
        assertThat(bad.get("errors").findValuesAsText("pointer")).contains("/url", "/kinds/0");
        postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":", 400);
        String reader = keyFor("default", List.of("catalog:read"));
        postJson(reader, "/v1/admin/webhooks", "{\"url\":\"" + base + "/x\"}", 403);
        String other = tenantWithKey("other-hooks", List.of("catalog:read", "catalog:write"));
        getJson(other, "/v1/admin/webhooks/" + hookId + "/deliveries", 404);
        delete(other, "/v1/admin/webhooks/" + hookId).expectStatus().isNotFound().expectBody().returnResult();
        delete(ADMIN_KEY, "/v1/admin/webhooks/" + hookId).expectStatus().isNoContent().expectBody().returnResult();
        assertThat(getJson(ADMIN_KEY, "/v1/admin/webhooks", 200).get("webhooks")).isEmpty();
    }

    @Test
    void severalInstancesDispatchingSendEachDeliveryOnce() throws Exception {
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":\"" + base + "/many/{user_id}\",\"kinds\":[\"badge_awarded\"]}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"crowd\",\"name\":\"Crowd\",\"kind\":\"manual\"}", 201);
        // three more dispatchers on the same database, as three more instances of the badge service run them
        List<WebhookDispatcher> others = List.of(new WebhookDispatcher(webhooks), new WebhookDispatcher(webhooks),
                new WebhookDispatcher(webhooks));
        others.forEach(WebhookDispatcher::start);
        try {
            int users = 60;
            for (int i = 0; i < users; i++) {
                postJson(ADMIN_KEY, "/v1/badges/crowd/grants", "{\"user_id\":\"crowd-" + i + "\"}", 201);
            }
            java.util.function.Supplier<Map<String, Long>> attemptsByUser = () -> received.stream()
                    .filter(r -> r.get("path").startsWith("/many/"))
                    .collect(java.util.stream.Collectors.groupingBy(r -> r.get("path"), java.util.stream.Collectors.counting()));
            // each delivery fails once (500) and is retried once (204)
            await().atMost(Duration.ofSeconds(60)).until(() -> attemptsByUser.get().size() == users
                    && attemptsByUser.get().values().stream().allMatch(n -> n >= 2));
            // four dispatchers polling every 250 ms: a double send would come within this second and a half
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                    .until(() -> attemptsByUser.get().values().stream().allMatch(n -> n == 2));
            assertThat(attemptsByUser.get()).hasSize(users).allSatisfy((user, n) -> assertThat(n).as(user).isEqualTo(2));
        } finally {
            others.forEach(WebhookDispatcher::stop);
        }
    }

    @Test
    void signingSecretsAreEncryptedAtRestAndStillSign() throws Exception {
        TestEnvironment env = LaurelTestInfra.forClass(WebhooksIT.class);
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        JsonNode hook = postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":\"" + base + "/sealed\",\"kinds\":[\"badge_awarded\"]}", 201);
        String secret = hook.get("secret").asText();
        String stored = storedSecret(env, hook.get("id").asText());
        assertThat(stored).startsWith("v1:").doesNotContain(secret).doesNotContain(secret.substring(6));

        // a secret kept in clear by an earlier version is sealed at the next start (here: the same step, called)
        try (var c = env.openConnection(); var ps = c.prepareStatement(
                "UPDATE laurel_badge_state.webhooks SET secret = ? WHERE id = ?")) {
            ps.setString(1, secret);
            ps.setString(2, hook.get("id").asText());
            ps.executeUpdate();
        }
        webhooks.resealSecrets();
        String resealed = storedSecret(env, hook.get("id").asText());
        assertThat(resealed).startsWith("v1:").doesNotContain(secret.substring(6));

        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"sealed\",\"kind\":\"manual\"}", 201);
        postJson(ADMIN_KEY, "/v1/badges/sealed/grants", "{\"user_id\":\"dee\"}", 201);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(r -> r.get("path").equals("/sealed")));
        Map<String, String> r = received.stream().filter(x -> x.get("path").equals("/sealed")).findFirst().orElseThrow();
        assertThat(r.get("signature")).isEqualTo("sha256=" + Webhooks.sign(secret, Long.parseLong(r.get("timestamp")),
                r.get("body")));
        delete(ADMIN_KEY, "/v1/admin/webhooks/" + hook.get("id").asText()).expectStatus().isNoContent().expectBody().returnResult();
    }

    @Test
    void webhooksIntoThePlatformsOwnNetworkAreRefused() throws Exception {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:15432/x",
                "http://[::1]:15432/x", "http://10.1.2.3/x", "http://172.16.0.9/x", "http://192.168.1.1/x",
                "http://100.64.0.1/x", "http://224.0.0.1/x", "http://0.0.0.0:15432/x", "http://[fd00::1]/x",
                "http://[::ffff:127.0.0.2]/x", "http://user:pw@example.com/x", "file:///etc/passwd",
                "http://{user_id}.example.com/x")) {
            JsonNode p = postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":\"" + url + "\"}", 422);
            assertThat(p.get("errors").findValuesAsText("pointer")).as(url).containsOnly("/url");
        }
        assertThat(getJson(ADMIN_KEY, "/v1/admin/webhooks", 200).get("webhooks").findValuesAsText("url"))
                .noneMatch(u -> u.contains("169.254") || u.contains("15432"));

        // checked again at delivery: a target that is no longer allowed (its name resolving elsewhere by then, say)
        // is not called, and the delivery fails at once with the reason; no response body is kept in any case
        TestEnvironment env = LaurelTestInfra.forClass(WebhooksIT.class);
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        JsonNode hook = postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":\"" + base + "/moved\",\"kinds\":[\"badge_awarded\"]}", 201);
        String hookId = hook.get("id").asText();
        try (var c = env.openConnection(); var ps = c.prepareStatement(
                "UPDATE laurel_badge_state.webhooks SET url = ? WHERE id = ?")) {
            ps.setString(1, "http://169.254.169.254/latest/meta-data/");
            ps.setString(2, hookId);
            ps.executeUpdate();
        }
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"moved\",\"kind\":\"manual\"}", 201);
        postJson(ADMIN_KEY, "/v1/badges/moved/grants", "{\"user_id\":\"eve\"}", 201);
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(getJson(ADMIN_KEY,
                "/v1/admin/webhooks/" + hookId + "/deliveries", 200).at("/deliveries/0/status").asText()));
        JsonNode d = getJson(ADMIN_KEY, "/v1/admin/webhooks/" + hookId + "/deliveries", 200).at("/deliveries/0");
        assertThat(d.get("attempts").asInt()).isEqualTo(1);
        assertThat(d.get("last_error").asText()).contains("not sent").contains("169.254.169.254").contains("link-local");
        assertThat(received).noneMatch(x -> x.get("path").startsWith("/moved") || x.get("path").startsWith("/latest"));
        delete(ADMIN_KEY, "/v1/admin/webhooks/" + hookId).expectStatus().isNoContent().expectBody().returnResult();
    }

    private static String storedSecret(TestEnvironment env, String id) throws Exception {
        try (var c = env.openConnection(); var ps = c.prepareStatement(
                "SELECT secret FROM laurel_badge_state.webhooks WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
