package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clear problem+json answer with a code, and loses nothing: malformed JSON, wrong
 * types, unknown types, oversized bodies, duplicates, missing or insufficient keys, bad schemas.
 */
class IngestBadInputIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, IngestBadInputIT.class);
    }

    private void declarePurchase() {
        post(ADMIN_KEY, "/v1/admin/event-types", """
                {"name":"purchase","event_data_schema":{"required":["amount"],"properties":{"amount":"integer","sku":"string"}}}""")
                .expectStatus().value(s -> assertThat(s).isIn(201, 409)).expectBody().returnResult();
    }

    @Test
    void malformedJsonIsA400WithItsCode() {
        JsonNode p = postJson(ADMIN_KEY, "/v1/events", "{\"event_type\": \"purchase\", ", 400);
        assertThat(p.get("code").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(p.get("status").asInt()).isEqualTo(400);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).contains("line 1");
        post(ADMIN_KEY, "/v1/events", "").expectStatus().isEqualTo(400)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void wrongTypesAreReportedPerFieldWithJsonPointers() {
        declarePurchase();
        JsonNode envelope = postJson(ADMIN_KEY, "/v1/events",
                "{\"event_type\":\"purchase\",\"user_id\":true,\"event_data\":[],\"event_action\":\"undo\",\"occurred_at\":\"yesterday\"}", 422);
        assertThat(envelope.findValuesAsText("pointer"))
                .contains("/user_id", "/event_data", "/event_action", "/occurred_at");
        JsonNode schema = postJson(ADMIN_KEY, "/v1/events",
                "{\"event_type\":\"purchase\",\"user_id\":\"u1\",\"event_data\":{\"amount\":1.5,\"sku\":7}}", 422);
        assertThat(schema.get("code").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(schema.findValuesAsText("pointer")).containsExactlyInAnyOrder("/event_data/amount", "/event_data/sku");
        JsonNode missing = postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"purchase\",\"event_data\":{\"amount\":1}}", 422);
        assertThat(missing.findValuesAsText("pointer")).containsExactly("/user_id");
        JsonNode future = postJson(ADMIN_KEY, "/v1/events",
                "{\"event_type\":\"purchase\",\"user_id\":\"u1\",\"event_data\":{\"amount\":1},\"occurred_at\":\"2999-01-01T00:00:00Z\"}", 422);
        assertThat(future.findValuesAsText("pointer")).containsExactly("/occurred_at");
        postJson(ADMIN_KEY, "/v1/events",
                "{\"event_type\":\"purchase\",\"user_id\":\"u1\",\"event_data\":{\"amount\":1},\"occurred_at\":\"2019-01-01T00:00:00Z\"}", 202);
    }

    @Test
    void unknownEventTypeIsRejectedWithItsCode() {
        JsonNode p = postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"nope\",\"user_id\":\"u1\"}", 400);
        assertThat(p.get("code").asText()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"event_type\":\"purchase\",\"user_id\":\"u1\",\"event_data\":{\"sku\":\"" + "x".repeat(1_100_000) + "\"}}";
        JsonNode p = postJson(ADMIN_KEY, "/v1/events", big, 413);
        assertThat(p.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void aRepeatedIdempotenceKeyCountsOnceAndAnswersTheFirstEventId() {
        declarePurchase();
        String event = "{\"event_type\":\"purchase\",\"user_id\":\"dup\",\"event_data\":{\"amount\":1},\"idempotence_key\":\"order-1\"}";
        JsonNode first = postJson(ADMIN_KEY, "/v1/events", event, 202);
        JsonNode second = postJson(ADMIN_KEY, "/v1/events", event, 200);
        assertThat(second.get("status").asText()).isEqualTo("duplicate");
        assertThat(second.get("event_id").asText()).isEqualTo(first.get("event_id").asText());
        // the same key on another type is another event
        post(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"refund\"}").expectStatus().isEqualTo(201);
        assertThat(postJson(ADMIN_KEY, "/v1/events",
                "{\"event_type\":\"refund\",\"user_id\":\"dup\",\"idempotence_key\":\"order-1\"}", 202)
                .get("event_id").asText()).isNotEqualTo(first.get("event_id").asText());
    }

    @Test
    void aBatchAcceptsItsValidEventsAndReportsEachInvalidOne() {
        declarePurchase();
        JsonNode r = postJson(ADMIN_KEY, "/v1/events:batch", """
                {"events":[
                  {"event_type":"purchase","user_id":"b1","event_data":{"amount":3}},
                  {"event_type":"purchase","user_id":"b2","event_data":{"amount":"x"}},
                  {"event_type":"nope","user_id":"b3"},
                  {"event_type":"purchase","user_id":"b4","event_data":{"amount":4},"idempotence_key":"k-b4"},
                  {"event_type":"purchase","user_id":"b4","event_data":{"amount":4},"idempotence_key":"k-b4"}
                ]}""", 200);
        JsonNode results = r.get("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(results.get(1).get("status").asText()).isEqualTo("rejected");
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(results.get(2).at("/error/code").asText()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
        assertThat(results.get(3).get("status").asText()).isEqualTo("accepted");
        assertThat(results.get(4).get("status").asText()).isEqualTo("duplicate");
        assertThat(results.get(4).get("event_id").asText()).isEqualTo(results.get(3).get("event_id").asText());
        assertThat(postJson(ADMIN_KEY, "/v1/events:batch", "{\"events\":{}}", 422).findValuesAsText("pointer"))
                .containsExactly("/events");
    }

    @Test
    void missingOrUnknownKeysAre401AndMissingScopesAre403() {
        client().get().uri("/v1/admin/event-types").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(getJson("lrl_not_a_key", "/v1/admin/event-types", 401).get("code").asText()).isEqualTo("UNAUTHENTICATED");
        String writer = keyFor("default", List.of("events:write"));
        assertThat(getJson(writer, "/v1/admin/event-types", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(getJson(writer, "/v1/leaderboards/all-time", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(getJson(writer, "/v1/ops/projections", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(postJson(writer, "/v1/admin/tenants", "{\"id\":\"x\"}", 403).get("code").asText())
                .isEqualTo("INSUFFICIENT_SCOPE");
        // a key cannot grant what it lacks
        String catalogAdmin = keyFor("default", List.of("catalog:write", "catalog:read"));
        assertThat(postJson(catalogAdmin, "/v1/admin/tenants/default/api-keys", "{\"name\":\"x\",\"scopes\":[\"ops\"]}", 400)
                .get("code").asText()).isEqualTo("INVALID_SCOPE");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/tenants/default/api-keys", "{\"name\":\"x\",\"scopes\":[\"fly\"]}", 400)
                .findValuesAsText("pointer")).containsExactly("/scopes/0");
    }

    @Test
    void aRevokedKeyStopsWorking() {
        JsonNode created = postJson(ADMIN_KEY, "/v1/admin/tenants/default/api-keys",
                "{\"name\":\"temp\",\"scopes\":[\"catalog:read\"]}", 201);
        String key = created.get("key").asText();
        getJson(key, "/v1/admin/event-types", 200);
        client().delete().uri("/v1/admin/tenants/default/api-keys/" + created.get("id").asText())
                .header("Authorization", "Bearer " + ADMIN_KEY).exchange().expectStatus().isNoContent().expectBody().returnResult();
        getJson(key, "/v1/admin/event-types", 401);
    }

    @Test
    void eventTypeCatalogErrorsAreExact() {
        declarePurchase();
        assertThat(postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"purchase\"}", 409).get("code").asText())
                .isEqualTo("EVENT_TYPE_EXISTS");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/event-types",
                "{\"name\":\"bad\",\"event_data_schema\":{\"properties\":{\"a\":\"decimal\"}}}", 400).get("code").asText())
                .isEqualTo("INVALID_SCHEMA");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/event-types",
                "{\"name\":\"bad2\",\"event_data_schema\":{\"type\":12}}", 400).get("code").asText())
                .isEqualTo("INVALID_SCHEMA");
        JsonNode system = getJson(ADMIN_KEY, "/v1/admin/event-types/score.manual", 200);
        assertThat(system.get("is_system").asBoolean()).isTrue();
        JsonNode forbidden = json(client().delete().uri("/v1/admin/event-types/score.manual")
                .header("Authorization", "Bearer " + ADMIN_KEY).exchange().expectStatus().isForbidden()
                .expectBody().returnResult().getResponseBodyContent());
        assertThat(forbidden.get("code").asText()).isEqualTo("SYSTEM_EVENT_TYPE");
        JsonNode list = getJson(ADMIN_KEY, "/v1/admin/event-types", 200);
        assertThat(list.get("event_types").findValuesAsText("name")).contains("score.manual", "points.redeemed", "purchase");
        JsonNode updated = json(client().put().uri("/v1/admin/event-types/purchase")
                .header("Authorization", "Bearer " + ADMIN_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"description\":\"A purchase\"}").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());
        assertThat(updated.get("version").asInt()).isEqualTo(2);
        assertThat(updated.get("description").asText()).isEqualTo("A purchase");
    }
}
