package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.List;

/**
 * The whole platform (the standalone's composition of the four services) on a random port, against the
 * real Kafka broker and PostgreSQL of the testkit, with a database and topics of its own per test class.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class PlatformTestSupport {
    static final String ADMIN_KEY = "lrl_test_admin_key_0123456789";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // one environment per concrete test class: the registry is evaluated for each context
        registry.add("laurel.admin-key", () -> ADMIN_KEY);
        // a data directory per test JVM (two run side by side: failsafe's laurel.test.fork)
        registry.add("laurel.data-dir", () -> "target/laurel-data-" + System.getProperty("laurel.test.fork", "1"));
    }

    static void register(DynamicPropertyRegistry registry, Class<?> testClass) {
        TestEnvironment env = LaurelTestInfra.forClass(testClass);
        env.register(registry);
    }

    private WebTestClient client;

    WebTestClient client() {
        if (client == null) {
            client = unpooledClient(port);
        }
        return client;
    }

    WebTestClient.ResponseSpec post(String key, String path, String json) {
        return client().post().uri(path).header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    JsonNode putJson(String key, String path, String json, int expectedStatus) {
        byte[] body = client().put().uri(path).header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
                .expectStatus().isEqualTo(expectedStatus).expectBody().returnResult().getResponseBodyContent();
        return json(body == null ? "null".getBytes() : body);
    }

    WebTestClient.ResponseSpec delete(String key, String path) {
        return client().delete().uri(path).header("Authorization", "Bearer " + key).exchange();
    }

    WebTestClient.ResponseSpec get(String key, String path) {
        return client().get().uri(path).header("Authorization", "Bearer " + key).exchange();
    }

    /**
     * A client that opens a new connection per request: requests of a test never wait on a pooled
     * keep-alive connection the server may be closing (seen as a rare 30 s stall under CI load).
     */
    static WebTestClient unpooledClient(int port) {
        return WebTestClient.bindToServer(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                        reactor.netty.http.client.HttpClient.create(reactor.netty.resources.ConnectionProvider.newConnection())))
                .baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    static JsonNode json(byte[] body) {
        try {
            return LaurelJson.mapper().readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(body), e);
        }
    }

    JsonNode postJson(String key, String path, String json, int expectedStatus) {
        byte[] body = post(key, path, json).expectStatus().isEqualTo(expectedStatus).expectBody().returnResult()
                .getResponseBodyContent();
        return json(body == null ? "null".getBytes() : body);
    }

    JsonNode getJson(String key, String path, int expectedStatus) {
        byte[] body = get(key, path).expectStatus().isEqualTo(expectedStatus).expectBody().returnResult()
                .getResponseBodyContent();
        return json(body == null ? "null".getBytes() : body);
    }

    /** Every committed record of {@code topic} up to its end offsets now, as JSON. */
    static List<JsonNode> topicRecords(io.laurel.testkit.TestEnvironment env, String topic) {
        List<JsonNode> out = new java.util.ArrayList<>();
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(java.util.Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
                org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 30 s");
                }
                for (var r : c.poll(Duration.ofMillis(200))) {
                    out.add(json(r.value()));
                }
            }
        }
        return out;
    }

    /** Creates a tenant and a key with the given scopes; returns the key's secret. */
    String tenantWithKey(String tenant, List<String> scopes) {
        postJson(ADMIN_KEY, "/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"" + tenant + "\"}", 201);
        return keyFor(tenant, scopes);
    }

    String keyFor(String tenant, List<String> scopes) {
        String list = String.join("\",\"", scopes);
        return postJson(ADMIN_KEY, "/v1/admin/tenants/" + tenant + "/api-keys",
                "{\"name\":\"test\",\"scopes\":[\"" + list + "\"]}", 201).get("key").asText();
    }
}
