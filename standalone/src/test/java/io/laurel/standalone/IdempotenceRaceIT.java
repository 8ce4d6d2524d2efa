package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 requests with the same idempotence key at the same moment (single events, and batches holding it): exactly
 * one is accepted, every other answers duplicate with the same event id, and {@code laurel.events} holds one
 * record of it.
 */
class IdempotenceRaceIT extends PlatformTestSupport {
    private static final int REQUESTS = 64;
    private final TestEnvironment env = LaurelTestInfra.forClass(IdempotenceRaceIT.class);

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, IdempotenceRaceIT.class);
    }

    @Test
    void sixtyFourConcurrentSingleEventsWithOneKeyAppendOnce() throws Exception {
        declare("race_single");
        String body = "{\"event_type\":\"race_single\",\"user_id\":\"racer\",\"idempotence_key\":\"race-1\"}";
        List<HttpResponse<String>> answers = race("/v1/events", i -> body);
        List<String> statuses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (HttpResponse<String> r : answers) {
            JsonNode n = json(r.body().getBytes());
            assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
            statuses.add(n.get("status").asText());
            ids.add(n.get("event_id").asText());
            assertThat(r.statusCode()).isEqualTo(n.get("status").asText().equals("accepted") ? 202 : 200);
        }
        assertThat(statuses.stream().filter("accepted"::equals).count()).isEqualTo(1);
        assertThat(statuses.stream().filter("duplicate"::equals).count()).isEqualTo(REQUESTS - 1);
        assertThat(ids.stream().distinct().count()).isEqualTo(1);
        assertThat(recordsWithKey("race_single", "race-1")).isEqualTo(1);
    }

    @Test
    void sixtyFourConcurrentBatchesHoldingOneKeyAppendItOnce() throws Exception {
        declare("race_batch");
        // each batch: the contested event, and one of its own
        List<HttpResponse<String>> answers = race("/v1/events:batch", i -> "{\"events\":["
                + "{\"event_type\":\"race_batch\",\"user_id\":\"racer\",\"idempotence_key\":\"race-2\"},"
                + "{\"event_type\":\"race_batch\",\"user_id\":\"racer\",\"idempotence_key\":\"own-" + i + "\"}]}");
        int accepted = 0;
        int duplicate = 0;
        List<String> ids = new ArrayList<>();
        for (HttpResponse<String> r : answers) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode results = json(r.body().getBytes()).get("results");
            String contested = results.get(0).get("status").asText();
            accepted += contested.equals("accepted") ? 1 : 0;
            duplicate += contested.equals("duplicate") ? 1 : 0;
            ids.add(results.get(0).get("event_id").asText());
            assertThat(results.get(1).get("status").asText()).isEqualTo("accepted");
        }
        assertThat(accepted).isEqualTo(1);
        assertThat(duplicate).isEqualTo(REQUESTS - 1);
        assertThat(ids.stream().distinct().count()).isEqualTo(1);
        assertThat(recordsWithKey("race_batch", "race-2")).isEqualTo(1);
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(recordsWithKey("race_batch", "own-" + i)).isEqualTo(1);
        }
    }

    private void declare(String type) {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"" + type + "\"}", 201);
    }

    private List<HttpResponse<String>> race(String path, java.util.function.IntFunction<String> body) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(REQUESTS)).build();
        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        try {
            CountDownLatch ready = new CountDownLatch(REQUESTS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body.apply(i))).build();
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            ready.await();
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private long recordsWithKey(String type, String key) {
        return topicRecords(env, env.topics().events().name()).stream()
                .filter(r -> type.equals(r.path("event_type").asText()) && key.equals(r.path("idempotence_key").asText()))
                .count();
    }
}
