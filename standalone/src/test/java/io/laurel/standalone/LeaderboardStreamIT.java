package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /v1/leaderboards/{id}/stream: a snapshot, then an update when points arrive, with the watched user. */
class LeaderboardStreamIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, LeaderboardStreamIT.class);
    }

    @Test
    void aSubscriberGetsASnapshotThenTheChangesAsPointsArrive() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"goal\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"goal\",\"event_type\":\"goal\",\"points\":3}", 201);
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"goal\",\"user_id\":\"ann\"}", 202);
        await(() -> getJson(ADMIN_KEY, "/v1/leaderboards/all-time", 200).get("total").asLong() == 1);

        Flux<ServerSentEvent<String>> events = client().get().uri("/v1/leaderboards/all-time/stream?limit=5&user_id=bob")
                .header("Authorization", "Bearer " + ADMIN_KEY).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                }).getResponseBody()
                .filter(e -> e.event() != null) // not the keep-alive comments
                .publishOn(Schedulers.boundedElastic());

        StepVerifier.create(events)
                .assertNext(first -> {
                    assertThat(first.event()).isEqualTo("snapshot");
                    JsonNode data = json(first.data().getBytes());
                    assertThat(data.at("/entries/0/user_id").asText()).isEqualTo("ann");
                    assertThat(data.at("/user/user_id").asText()).isEqualTo("bob");
                    assertThat(data.at("/user/rank").isMissingNode()).isTrue(); // bob has no score yet
                    // points arrive while the client listens
                    postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"goal\",\"user_id\":\"bob\"}", 202);
                    postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"goal\",\"user_id\":\"bob\"}", 202);
                })
                .thenConsumeWhile(e -> json(e.data().getBytes()).at("/user/score").asLong() < 6)
                .assertNext(update -> {
                    assertThat(update.event()).isEqualTo("update");
                    JsonNode data = json(update.data().getBytes());
                    assertThat(data.at("/entries/0/user_id").asText()).isEqualTo("bob");
                    assertThat(data.at("/entries/0/score").asLong()).isEqualTo(6);
                    assertThat(data.at("/user/rank").asLong()).isEqualTo(1);
                    assertThat(data.get("total").asLong()).isEqualTo(2);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(60));

        // errors are answered before the stream starts
        getJson(ADMIN_KEY, "/v1/leaderboards/nope/stream", 404);
        getJson(ADMIN_KEY, "/v1/leaderboards/all-time/stream?limit=500", 400);
        client().get().uri("/v1/leaderboards/all-time/stream").exchange().expectStatus().isUnauthorized()
                .expectBody().returnResult();
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(condition);
    }
}
