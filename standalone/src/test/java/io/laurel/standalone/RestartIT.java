package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform stopped and started again on the same Kafka and PostgreSQL: idempotence keys still
 * count once, the read models continue where they stopped, and the catalog and keys are still there.
 */
class RestartIT {
    private static final String KEY = "lrl_restart_admin_key_0123456789";
    private final TestEnvironment env = LaurelTestInfra.forClass(RestartIT.class);

    @Test
    void afterARestartKeysCatalogReadModelsAndIdempotenceKeysCarryOn() throws Exception {
        String event = "{\"event_type\":\"order\",\"user_id\":\"u1\",\"idempotence_key\":\"order-77\"}";
        String firstId;
        try (ConfigurableApplicationContext app = start()) {
            WebTestClient web = client(app);
            call(web, "/v1/admin/event-types", "{\"name\":\"order\"}", 201);
            call(web, "/v1/admin/rules", "{\"name\":\"5 per order\",\"event_type\":\"order\",\"points\":5}", 201);
            firstId = call(web, "/v1/events", event, 202).get("event_id").asText();
            call(web, "/v1/events", "{\"event_type\":\"order\",\"user_id\":\"u1\"}", 202);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(web, "/v1/leaderboards/all-time/users/u1").get("score").asLong()).isEqualTo(10));
        }
        try (ConfigurableApplicationContext app = start()) {
            WebTestClient web = client(app);
            JsonNode repeat = call(web, "/v1/events", event, 200);
            assertThat(repeat.get("status").asText()).isEqualTo("duplicate");
            assertThat(repeat.get("event_id").asText()).isEqualTo(firstId);
            call(web, "/v1/events", "{\"event_type\":\"order\",\"user_id\":\"u1\"}", 202);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(web, "/v1/leaderboards/all-time/users/u1").get("score").asLong()).isEqualTo(15));
            assertThat(get(web, "/v1/users/u1/points").at("/balances/0/earned").asLong()).isEqualTo(15);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(web, "/v1/event-log?user_id=u1").get("events")).hasSize(3));
        }
    }

    private ConfigurableApplicationContext start() {
        Map<String, Object> props = new HashMap<>(env.laurelProperties());
        props.put("server.port", "0");
        props.put("laurel.admin-key", KEY);
        props.put("laurel.data-dir", "target/laurel-data-restart");
        // as arguments, so they outrank application.properties (server.port=${LAUREL_PORT:8080})
        return new SpringApplicationBuilder(StandaloneApplication.class).run(props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static WebTestClient client(ConfigurableApplicationContext app) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return PlatformTestSupport.unpooledClient(port);
    }

    private static JsonNode call(WebTestClient web, String path, String body, int status) throws Exception {
        byte[] bytes = web.post().uri(path).header("Authorization", "Bearer " + KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isEqualTo(status).expectBody().returnResult()
                .getResponseBodyContent();
        return LaurelJson.mapper().readTree(bytes);
    }

    private static JsonNode get(WebTestClient web, String path) throws Exception {
        byte[] bytes = web.get().uri(path).header("Authorization", "Bearer " + KEY).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBodyContent();
        return LaurelJson.mapper().readTree(bytes);
    }
}
