package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A key of tenant A never reads or writes anything of tenant B, on every endpoint family there is. */
class TenantIsolationIT extends PlatformTestSupport {
    private static final List<String> ALL = List.of("events:write", "events:read", "catalog:read", "catalog:write",
            "points:read", "points:write", "leaderboards:read", "badges:read", "badges:write", "ops");

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, TenantIsolationIT.class);
    }

    @Test
    void tenantsNeverSeeEachOthersData() {
        String a = tenantWithKey("acme", ALL);
        String b = tenantWithKey("bolt", ALL);
        postJson(a, "/v1/admin/event-types", "{\"name\":\"sale\",\"event_data_schema\":{\"properties\":{\"amount\":\"number\"}}}", 201);
        JsonNode rule = postJson(a, "/v1/admin/rules", "{\"name\":\"5 per sale\",\"event_type\":\"sale\",\"points\":5}", 201);
        postJson(a, "/v1/events", "{\"event_type\":\"sale\",\"user_id\":\"alice\",\"event_data\":{\"amount\":1}}", 202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(a, "/v1/leaderboards/all-time", 200).get("total").asLong()).isEqualTo(1));

        // catalog: B does not see A's event type or rule, and cannot use it
        assertThat(getJson(b, "/v1/admin/event-types", 200).get("event_types").findValuesAsText("name"))
                .doesNotContain("sale").contains("score.manual");
        getJson(b, "/v1/admin/event-types/sale", 404);
        getJson(b, "/v1/admin/rules/" + rule.get("id").asText(), 404);
        assertThat(getJson(b, "/v1/admin/rules", 200).get("rules")).isEmpty();
        assertThat(postJson(b, "/v1/events", "{\"event_type\":\"sale\",\"user_id\":\"alice\"}", 400).get("code").asText())
                .isEqualTo("EVENT_TYPE_NOT_DECLARED");
        // B cannot change, retire or delete what is A's: in B's tenant those names and ids do not exist
        String ruleId = rule.get("id").asText();
        client().put().uri("/v1/admin/rules/" + ruleId).header("Authorization", "Bearer " + b)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"x\",\"event_type\":\"sale\",\"points\":1}").exchange()
                .expectStatus().value(s -> assertThat(s).isIn(400, 404)).expectBody().returnResult();
        client().delete().uri("/v1/admin/rules/" + ruleId).header("Authorization", "Bearer " + b)
                .exchange().expectStatus().isNotFound().expectBody().returnResult();
        client().delete().uri("/v1/admin/event-types/sale").header("Authorization", "Bearer " + b)
                .exchange().expectStatus().isNotFound().expectBody().returnResult();
        assertThat(getJson(a, "/v1/admin/rules/" + ruleId, 200).get("active").asBoolean()).isTrue();
        // nor send A's events: by hook, by batch
        client().get().uri("/v1/hooks/sale?user_id=alice&key=" + b).exchange().expectStatus().isBadRequest().expectBody().returnResult();
        assertThat(postJson(b, "/v1/events:batch", "{\"events\":[{\"event_type\":\"sale\",\"user_id\":\"alice\"}]}", 200)
                .at("/results/0/error/code").asText()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
        // nor read A's event log
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(a, "/v1/event-log", 200).get("events")).hasSize(1));
        assertThat(getJson(b, "/v1/event-log", 200).get("events")).isEmpty();
        assertThat(getJson(b, "/v1/event-log?user_id=alice", 200).get("events")).isEmpty();
        // B's same-named type is its own
        postJson(b, "/v1/admin/event-types", "{\"name\":\"sale\"}", 201);

        // points and leaderboards: B sees nothing of alice
        assertThat(getJson(b, "/v1/users/alice/points", 200).at("/balances/0/earned").asLong()).isZero();
        assertThat(getJson(a, "/v1/users/alice/points", 200).at("/balances/0/earned").asLong()).isEqualTo(5);
        assertThat(getJson(b, "/v1/users/alice/ledger", 200).get("entries")).isEmpty();
        assertThat(getJson(b, "/v1/leaderboards/all-time", 200).get("total").asLong()).isZero();
        getJson(b, "/v1/leaderboards/all-time/users/alice", 404);

        // score events and redemptions: B neither sees nor changes A's
        String scoreEvent = postJson(a, "/v1/score-events", "{\"user_id\":\"alice\",\"points\":20}", 201).get("id").asText();
        assertThat(getJson(b, "/v1/score-events?id=" + scoreEvent, 200).get("score_events")).isEmpty();
        assertThat(getJson(b, "/v1/score-events?user_id=alice", 200).get("score_events")).isEmpty();
        client().put().uri("/v1/score-events").header("Authorization", "Bearer " + b)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"id\":\"" + scoreEvent + "\",\"points\":1000}").exchange()
                .expectStatus().isNotFound().expectBody().returnResult();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(a, "/v1/users/alice/points", 200).at("/balances/0/available").asLong()).isEqualTo(25));
        String redemption = postJson(a, "/v1/redemptions", "{\"user_id\":\"alice\",\"points\":5,\"hold\":true}", 201)
                .get("id").asText();
        getJson(b, "/v1/redemptions/" + redemption, 404);
        postJson(b, "/v1/redemptions/" + redemption + "/confirm", "", 404);
        postJson(b, "/v1/redemptions/" + redemption + "/release", "", 404);
        assertThat(getJson(b, "/v1/users/alice/redemptions", 200).get("redemptions")).isEmpty();
        // B's alice has nothing to spend; A's alice still has her points held, not spent by B
        assertThat(postJson(b, "/v1/redemptions", "{\"user_id\":\"alice\",\"points\":1}", 409).get("code").asText())
                .isEqualTo("INSUFFICIENT_POINTS");
        assertThat(getJson(a, "/v1/redemptions/" + redemption, 200).get("status").asText()).isEqualTo("held");
        assertThat(getJson(a, "/v1/users/alice/points", 200).at("/balances/0/held").asLong()).isEqualTo(5);

        // badges: B neither sees A's definitions nor grants them, and A's alice's badges are not B's alice's
        postJson(a, "/v1/admin/badges", "{\"id\":\"gold\",\"kind\":\"manual\"}", 201);
        assertThat(postJson(a, "/v1/badges/gold/grants", "{\"user_id\":\"alice\"}", 201).get("badge_earned").asBoolean())
                .isTrue();
        getJson(b, "/v1/admin/badges/gold", 404);
        assertThat(getJson(b, "/v1/admin/badges", 200).get("badges")).isEmpty();
        assertThat(postJson(b, "/v1/badges/gold/grants", "{\"user_id\":\"alice\"}", 404).get("code").asText())
                .isEqualTo("BADGE_NOT_FOUND");
        assertThat(getJson(b, "/v1/users/alice/badges", 200).get("badges")).isEmpty();
        assertThat(getJson(a, "/v1/users/alice/badges", 200).get("badges").findValuesAsText("badge_id"))
                .containsExactly("gold");

        // challenges: B neither sees A's challenge nor its users' progress, and cannot change or retire it
        postJson(a, "/v1/admin/challenges", "{\"id\":\"sales\",\"steps\":[{\"kind\":\"first\",\"event_type\":"
                + "\"sale\"}],\"reward\":{\"points\":3}}", 201);
        postJson(a, "/v1/events", "{\"event_type\":\"sale\",\"user_id\":\"alice\",\"event_data\":{\"amount\":2}}", 202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(getJson(a,
                "/v1/challenges/sales/users/alice", 200).get("status").asText()).isEqualTo("completed"));
        assertThat(getJson(b, "/v1/challenges/sales", 404).get("code").asText()).isEqualTo("CHALLENGE_NOT_FOUND");
        getJson(b, "/v1/challenges/sales/leaders", 404);
        getJson(b, "/v1/challenges/sales/users/alice", 404);
        getJson(b, "/v1/admin/challenges/sales", 404);
        assertThat(getJson(b, "/v1/admin/challenges", 200).get("challenges")).isEmpty();
        assertThat(getJson(b, "/v1/challenges", 200).get("challenges")).isEmpty();
        assertThat(getJson(b, "/v1/users/alice/challenges", 200).get("challenges")).isEmpty();
        assertThat(getJson(b, "/v1/users/alice", 200).get("challenges")).isEmpty();
        client().delete().uri("/v1/admin/challenges/sales").header("Authorization", "Bearer " + b)
                .exchange().expectStatus().isNotFound().expectBody().returnResult();
        assertThat(getJson(a, "/v1/challenges/sales/leaders", 200).get("entries").findValuesAsText("user_id"))
                .containsExactly("alice");

        // tenant administration: B cannot mint, list or revoke A's keys, nor read or change A's tenant
        client().put().uri("/v1/admin/tenants/acme").header("Authorization", "Bearer " + b)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"time_zone\":\"Asia/Tokyo\"}").exchange().expectStatus().isForbidden().expectBody().returnResult();
        assertThat(postJson(b, "/v1/admin/tenants/acme/api-keys", "{\"name\":\"x\",\"scopes\":[\"ops\"]}", 403)
                .get("code").asText()).isEqualTo("FOREIGN_TENANT");
        getJson(b, "/v1/admin/tenants/acme/api-keys", 403);
        getJson(b, "/v1/admin/tenants/acme", 403);
        String aKeyId = getJson(a, "/v1/admin/tenants/acme/api-keys", 200).at("/api_keys/0/id").asText();
        client().delete().uri("/v1/admin/tenants/acme/api-keys/" + aKeyId).header("Authorization", "Bearer " + b)
                .exchange().expectStatus().isForbidden().expectBody().returnResult();
        // and B's listing of its own keys never shows A's
        assertThat(getJson(b, "/v1/admin/tenants/bolt/api-keys", 200).get("api_keys").findValuesAsText("tenant"))
                .containsOnly("bolt");
    }
}
