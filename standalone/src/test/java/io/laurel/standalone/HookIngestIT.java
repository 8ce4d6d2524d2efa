package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook-style ingest, as a course platform calls it when a learner completes a course: a URL with
 * query parameters (or a form post), the key in the URL or a header, validated like any event.
 */
class HookIngestIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, HookIngestIT.class);
    }

    @Test
    void aUrlCallBecomesAnEventThatScores() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", """
                {"name":"course_completed","event_data_schema":{"required":["course"],
                 "properties":{"course":"string","score":"integer","passed":"boolean"}}}""", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"50 per course\",\"event_type\":\"course_completed\",\"points\":50}", 201);
        String key = keyFor("default", List.of("events:write"));

        JsonNode viaQuery = json(client().get()
                .uri(u -> u.path("/v1/hooks/course_completed").queryParam("key", key).queryParam("user_id", "learner-1")
                        .queryParam("course", "Java 101").queryParam("score", "87").queryParam("passed", "true").build())
                .exchange().expectStatus().isAccepted().expectBody().returnResult().getResponseBodyContent());
        assertThat(viaQuery.get("status").asText()).isEqualTo("accepted");

        JsonNode viaForm = json(client().post().uri("/v1/hooks/course_completed")
                .header("X-Laurel-Key", key).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("user_id=learner-2&course=Kafka+201&idempotence_key=gc-7").exchange()
                .expectStatus().isAccepted().expectBody().returnResult().getResponseBodyContent());
        assertThat(viaForm.get("event_id").asText()).isNotBlank();
        JsonNode repeat = json(client().post().uri("/v1/hooks/course_completed")
                .header("X-Laurel-Key", key).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("user_id=learner-2&course=Kafka+201&idempotence_key=gc-7").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
        assertThat(repeat.get("status").asText()).isEqualTo("duplicate");
        assertThat(repeat.get("event_id").asText()).isEqualTo(viaForm.get("event_id").asText());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time", 200).get("total").asLong()).isEqualTo(2));
        assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time/users/learner-2", 200).get("score").asLong()).isEqualTo(50);
    }

    @Test
    void badHookCallsGetTheSameProblemsAsEvents() {
        post(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"quiz\",\"event_data_schema\":{\"properties\":{\"score\":\"integer\"}}}")
                .expectStatus().value(s -> assertThat(s).isIn(201, 409)).expectBody().returnResult();
        JsonNode wrongType = json(client().get().uri("/v1/hooks/quiz?user_id=u&score=lots&key=" + ADMIN_KEY)
                .exchange().expectStatus().isEqualTo(422).expectBody().returnResult().getResponseBodyContent());
        assertThat(wrongType.get("code").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(wrongType.findValuesAsText("pointer")).containsExactly("/event_data/score");
        JsonNode noUser = json(client().get().uri("/v1/hooks/quiz?score=1&key=" + ADMIN_KEY)
                .exchange().expectStatus().isEqualTo(422).expectBody().returnResult().getResponseBodyContent());
        assertThat(noUser.findValuesAsText("pointer")).containsExactly("/user_id");
        JsonNode unknown = json(client().get().uri("/v1/hooks/nope?user_id=u&key=" + ADMIN_KEY)
                .exchange().expectStatus().isBadRequest().expectBody().returnResult().getResponseBodyContent());
        assertThat(unknown.get("code").asText()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
        client().get().uri("/v1/hooks/quiz?user_id=u").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        client().get().uri("/v1/hooks/quiz?user_id=u&key=lrl_wrong").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        String reader = keyFor("default", List.of("leaderboards:read"));
        JsonNode scope = json(client().get().uri("/v1/hooks/quiz?user_id=u&key=" + reader)
                .exchange().expectStatus().isForbidden().expectBody().returnResult().getResponseBodyContent());
        assertThat(scope.get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        // only hooks take the key from the URL
        client().get().uri("/v1/leaderboards/all-time?key=" + ADMIN_KEY).exchange().expectStatus().isUnauthorized().expectBody().returnResult();
    }
}
