package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
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
    }

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
}
