package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A rule is defined, revised (a new version that scores from then on) and retired (it stops scoring). */
class RuleLifecycleIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, RuleLifecycleIT.class);
    }

    private JsonNode put(String path, String body, int status) {
        return json(client().put().uri(path).header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isEqualTo(status)
                .expectBody().returnResult().getResponseBodyContent());
    }

    private long score(String user) {
        return getJson(ADMIN_KEY, "/v1/users/" + user + "/points", 200).at("/balances/0/earned").asLong();
    }

    @Test
    void revisionsScoreFromThenOnAndARetiredRuleStopsScoring() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"like\"}", 201);
        JsonNode rule = postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"likes\",\"event_type\":\"like\",\"points\":10}", 201);
        String id = rule.get("id").asText();
        assertThat(rule.get("version").asInt()).isEqualTo(1);
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"like\",\"user_id\":\"ann\"}", 202);
        await().atMost(Duration.ofSeconds(60)).until(() -> score("ann") == 10);

        JsonNode v2 = put("/v1/admin/rules/" + id, "{\"name\":\"likes, doubled\",\"event_type\":\"like\",\"points\":20}", 200);
        assertThat(v2.get("version").asInt()).isEqualTo(2);
        assertThat(v2.get("points").asLong()).isEqualTo(20);
        assertThat(getJson(ADMIN_KEY, "/v1/admin/rules/" + id, 200).get("name").asText()).isEqualTo("likes, doubled");
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"like\",\"user_id\":\"ann\"}", 202);
        await().atMost(Duration.ofSeconds(60)).until(() -> score("ann") == 30);
        JsonNode ledger = getJson(ADMIN_KEY, "/v1/users/ann/ledger", 200).get("entries");
        assertThat(ledger.findValuesAsText("rule_version")).containsExactlyInAnyOrder("2", "1");

        client().delete().uri("/v1/admin/rules/" + id).header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isNoContent().expectBody().returnResult();
        assertThat(getJson(ADMIN_KEY, "/v1/admin/rules/" + id, 200).get("active").asBoolean()).isFalse();
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"like\",\"user_id\":\"ann\"}", 202);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"marker\",\"event_type\":\"like\",\"points\":1}", 201);
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"like\",\"user_id\":\"ann\"}", 202);
        // the marker rule's point arrives after the event the retired rule ignored
        await().atMost(Duration.ofSeconds(60)).until(() -> score("ann") == 31);

        assertThat(put("/v1/admin/rules/" + id, "{\"name\":\"x\",\"event_type\":\"like\",\"points\":1}", 404)
                .get("code").asText()).isEqualTo("RULE_NOT_FOUND");
        assertThat(put("/v1/admin/rules/nope", "{\"name\":\"x\",\"event_type\":\"like\",\"points\":1}", 404)
                .get("code").asText()).isEqualTo("RULE_NOT_FOUND");
        assertThat(put("/v1/admin/rules/" + id, "{\"name\":\"x\",\"event_type\":\"like\",\"points\":\"many\"}", 422)
                .findValuesAsText("pointer")).containsExactly("/points");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/rules", "{\"event_type\":\"like\"}", 422).findValuesAsText("pointer"))
                .containsExactlyInAnyOrder("/name", "/points");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"x\",\"event_type\":\"nope\",\"points\":1}", 400)
                .get("code").asText()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":", 400).get("code").asText()).isEqualTo("MALFORMED_JSON");
    }
}
