package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read and operations endpoints answer bad parameters, unknown names and repeats with clear problems. */
class OpsAndQueriesBadInputIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, OpsAndQueriesBadInputIT.class);
    }

    @Test
    void leaderboardQueriesRejectBadParametersAndUnknownBoards() {
        assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/nope", 404).get("code").asText()).isEqualTo("LEADERBOARD_NOT_FOUND");
        assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time?limit=0", 400).get("code").asText()).isEqualTo("INVALID_PAGE");
        assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time?limit=1001", 400).get("code").asText()).isEqualTo("INVALID_PAGE");
        assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time?offset=-1", 400).get("code").asText()).isEqualTo("INVALID_PAGE");
        JsonNode typed = getJson(ADMIN_KEY, "/v1/leaderboards/all-time?limit=ten", 400);
        assertThat(typed.get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(typed.get("detail").asText()).contains("limit");
        assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time?sort=sideways", 400).get("code").asText()).isEqualTo("INVALID_SORT");
        assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time/around/x?radius=1000", 400).get("code").asText())
                .isEqualTo("INVALID_RADIUS");
        assertThat(getJson(ADMIN_KEY, "/v1/users/u/ledger?limit=-5", 400).get("code").asText()).isEqualTo("INVALID_PAGE");
        JsonNode empty = getJson(ADMIN_KEY, "/v1/leaderboards/all-time", 200);
        assertThat(empty.get("total").asLong()).isZero();
        assertThat(empty.get("entries")).isEmpty();
    }

    @Test
    void unknownTenantsAndMethodsAreClear() {
        assertThat(getJson(ADMIN_KEY, "/v1/admin/tenants/ghost", 404).get("code").asText()).isEqualTo("TENANT_NOT_FOUND");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/tenants/ghost/api-keys", "{\"name\":\"x\",\"scopes\":[\"ops\"]}", 404)
                .get("code").asText()).isEqualTo("TENANT_NOT_FOUND");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/tenants", "{\"id\":\"Not Valid!\"}", 422).findValuesAsText("pointer"))
                .containsExactly("/id");
        postJson(ADMIN_KEY, "/v1/admin/tenants", "{\"id\":\"twice\"}", 201);
        assertThat(postJson(ADMIN_KEY, "/v1/admin/tenants", "{\"id\":\"twice\"}", 409).get("code").asText())
                .isEqualTo("TENANT_EXISTS");
        assertThat(json(client().delete().uri("/v1/leaderboards/all-time").header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isEqualTo(405).expectBody().returnResult().getResponseBodyContent())
                .get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void rebuildRequestsAreValidatedAndNotRunTwice() {
        assertThat(postJson(ADMIN_KEY, "/v1/ops/projections/nope/rebuild", "{}", 404).get("code").asText())
                .isEqualTo("PROJECTION_NOT_FOUND");
        assertThat(postJson(ADMIN_KEY, "/v1/ops/projections/scoring/rebuild", "{\"switch\":\"later\"}", 400)
                .get("code").asText()).isEqualTo("INVALID_SWITCH_MODE");
        assertThat(postJson(ADMIN_KEY, "/v1/ops/projections/scoring/rebuild", "{\"switch\":", 400).get("code").asText())
                .isEqualTo("MALFORMED_JSON");
        assertThat(getJson(ADMIN_KEY, "/v1/ops/rebuilds/not-a-uuid", 404).get("code").asText()).isEqualTo("REBUILD_NOT_FOUND");
        assertThat(getJson(ADMIN_KEY, "/v1/ops/rebuilds/00000000-0000-0000-0000-000000000000", 404).get("code").asText())
                .isEqualTo("REBUILD_NOT_FOUND");

        JsonNode manual = postJson(ADMIN_KEY, "/v1/ops/projections/scoring/rebuild", "{\"switch\":\"manual\"}", 202);
        String id = manual.get("id").asText();
        assertThat(postJson(ADMIN_KEY, "/v1/ops/projections/scoring/rebuild", "{}", 409).get("code").asText())
                .isEqualTo("REBUILD_IN_PROGRESS");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + id, 200).get("status").asText()).isEqualTo("ready"));
        // caught up and waiting: nothing left, so the estimate is 0; the total is a number, and the rate one as
        // soon as the rebuild has been observed twice (it may turn ready at its first observation, 100 ms apart)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode ready = getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + id, 200);
            assertThat(ready.get("progress").asDouble()).isEqualTo(1.0);
            assertThat(ready.get("eta_seconds").asLong()).isZero();
            assertThat(ready.get("records_total").isIntegralNumber()).as("records_total of %s", ready).isTrue();
            assertThat(ready.get("records_total").asLong())
                    .isGreaterThanOrEqualTo(ready.get("records_processed").asLong());
            assertThat(ready.get("records_per_second").isNumber()).as("records_per_second of %s", ready).isTrue();
        });
        JsonNode cancelled = json(client().delete().uri("/v1/ops/rebuilds/" + id).header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
        assertThat(cancelled.get("id").asText()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + id, 200).get("status").asText()).isEqualTo("cancelled"));
        assertThat(getJson(ADMIN_KEY, "/v1/ops/projections/scoring", 200).get("generation").asInt()).isEqualTo(1);
        // a new rebuild may start once the last one ended
        JsonNode again = postJson(ADMIN_KEY, "/v1/ops/projections/scoring/rebuild", "", 202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + again.get("id").asText(), 200).get("status").asText())
                        .isEqualTo("completed"));
        assertThat(getJson(ADMIN_KEY, "/v1/ops/projections/scoring", 200).get("generation").asInt()).isGreaterThan(1);
        String againPath = "/v1/ops/rebuilds/" + again.get("id").asText();
        JsonNode completed = getJson(ADMIN_KEY, againPath, 200);
        assertThat(completed.get("records_total").asLong()).isEqualTo(completed.get("records_processed").asLong());
        assertThat(completed.get("eta_seconds").asLong()).isZero();
        assertThat(completed.get("records_per_second").asDouble()).isGreaterThanOrEqualTo(0.0);

        // the generation it made is live and folds new events; what the rebuild reports stays as it ended
        long liveBefore = getJson(ADMIN_KEY, "/v1/ops/projections/scoring", 200).get("records_processed").asLong();
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"after_rebuild\"}", 201);
        for (int i = 0; i < 5; i++) {
            postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"after_rebuild\",\"user_id\":\"u" + i + "\"}", 202);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(getJson(ADMIN_KEY,
                "/v1/ops/projections/scoring", 200).get("records_processed").asLong()).isGreaterThanOrEqualTo(liveBefore + 5));
        JsonNode later = getJson(ADMIN_KEY, againPath, 200);
        assertThat(later.get("records_processed").asLong()).isEqualTo(completed.get("records_processed").asLong());
        assertThat(later.get("records_total").asLong()).isEqualTo(completed.get("records_total").asLong());
        assertThat(later.get("status").asText()).isEqualTo("completed");
    }

    @Test
    void platformOperationsNeedThePlatformKeyWhateverTheScopes() {
        String tenantOps = tenantWithKey("opsco", List.of("ops", "events:write", "events:read", "catalog:read",
                "catalog:write", "points:read", "points:write", "leaderboards:read", "badges:read", "badges:write"));
        String defaultOps = keyFor("default", List.of("ops", "catalog:write"));
        String rebuild = "/v1/ops/rebuilds/00000000-0000-0000-0000-000000000000";
        for (String key : List.of(tenantOps, defaultOps)) {
            assertThat(getJson(key, "/v1/ops/projections", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
            assertThat(getJson(key, "/v1/ops/projections/scoring", 403).get("code").asText())
                    .isEqualTo("INSUFFICIENT_SCOPE");
            assertThat(postJson(key, "/v1/ops/projections/scoring/rebuild", "{}", 403).get("code").asText())
                    .isEqualTo("INSUFFICIENT_SCOPE");
            assertThat(getJson(key, rebuild, 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
            assertThat(postJson(key, rebuild + "/switch", "", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
            client().delete().uri(rebuild).header("Authorization", "Bearer " + key).exchange()
                    .expectStatus().isForbidden();
            assertThat(getJson(key, "/v1/ops/inbound", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        }
    }

    @Test
    void theProjectionListNamesEachProjectionsService() {
        JsonNode projections = getJson(ADMIN_KEY, "/v1/ops/projections", 200).get("projections");
        Map<String, String> services = new HashMap<>();
        projections.forEach(p -> services.put(p.get("name").asText(), p.get("service").asText()));
        assertThat(services).containsExactlyInAnyOrderEntriesOf(Map.of("event_log", "ingest", "scoring", "scoring",
                "badges", "badge", "notifications", "badge", "webhooks", "badge", "leaderboards", "leaderboard"));
    }
}
