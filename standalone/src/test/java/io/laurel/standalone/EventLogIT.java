package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The event log: what was accepted, newest first, filtered by user, type and time, per tenant. */
class EventLogIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, EventLogIT.class);
    }

    @Test
    void acceptedEventsAreListedNewestFirstAndFiltered() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"login\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"post\",\"event_data_schema\":{\"properties\":{\"words\":\"integer\"}}}", 201);
        String[] events = {
                "{\"event_type\":\"login\",\"user_id\":\"ann\",\"occurred_at\":\"2026-01-01T10:00:00Z\"}",
                "{\"event_type\":\"post\",\"user_id\":\"ann\",\"event_data\":{\"words\":12},\"occurred_at\":\"2026-01-02T10:00:00Z\"}",
                "{\"event_type\":\"login\",\"user_id\":\"bob\",\"occurred_at\":\"2026-01-03T10:00:00Z\"}",
                "{\"event_type\":\"post\",\"user_id\":\"ann\",\"event_data\":{\"words\":3},\"occurred_at\":\"2026-01-04T10:00:00Z\",\"idempotence_key\":\"p-4\"}",
                "{\"event_type\":\"post\",\"user_id\":\"ann\",\"event_data\":{\"words\":3},\"occurred_at\":\"2026-01-04T10:00:00Z\",\"idempotence_key\":\"p-4\"}"};
        for (String e : events) {
            post(ADMIN_KEY, "/v1/events", e).expectStatus().value(s -> assertThat(s).isIn(200, 202)).expectBody().returnResult();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/event-log", 200).get("events")).hasSize(4));

        JsonNode all = getJson(ADMIN_KEY, "/v1/event-log", 200).get("events");
        assertThat(all.findValuesAsText("occurred_at")).containsExactly("2026-01-04T10:00:00Z", "2026-01-03T10:00:00Z",
                "2026-01-02T10:00:00Z", "2026-01-01T10:00:00Z");
        JsonNode newest = all.get(0);
        assertThat(newest.get("event_type").asText()).isEqualTo("post");
        assertThat(newest.get("user_id").asText()).isEqualTo("ann");
        assertThat(newest.at("/event_data/words").asInt()).isEqualTo(3);
        assertThat(newest.get("event_id").asText()).isNotBlank();
        assertThat(newest.get("received_at").asText()).isNotBlank();

        assertThat(getJson(ADMIN_KEY, "/v1/event-log?user_id=ann", 200).get("events")).hasSize(3);
        assertThat(getJson(ADMIN_KEY, "/v1/event-log?user_id=ann&event_type=post", 200).get("events")).hasSize(2);
        assertThat(getJson(ADMIN_KEY, "/v1/event-log?from=2026-01-02&to=2026-01-04", 200).get("events")
                .findValuesAsText("user_id")).containsExactly("bob", "ann");
        assertThat(getJson(ADMIN_KEY, "/v1/event-log?limit=1&offset=1", 200).at("/events/0/user_id").asText()).isEqualTo("bob");

        assertThat(getJson(ADMIN_KEY, "/v1/event-log?from=yesterday", 400).get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(getJson(ADMIN_KEY, "/v1/event-log?limit=5000", 400).get("code").asText()).isEqualTo("INVALID_PAGE");
        String writer = keyFor("default", List.of("events:write"));
        assertThat(getJson(writer, "/v1/event-log", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        String other = tenantWithKey("elsewhere", List.of("events:read"));
        assertThat(getJson(other, "/v1/event-log", 200).get("events")).isEmpty();
    }
}
