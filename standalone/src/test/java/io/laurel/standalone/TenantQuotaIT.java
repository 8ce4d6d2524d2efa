package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-tenant event rate limits: set by the key that manages tenants (not by the tenant itself), enforced with a
 * token bucket (429 RATE_LIMITED with Retry-After), and a flooding tenant does not delay another tenant's events by
 * more than 100 ms at p99.
 */
@org.junit.jupiter.api.Tag(RunsAlone.TAG)
class TenantQuotaIT extends PlatformTestSupport {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, TenantQuotaIT.class);
    }

    @Test
    void onlyThePlatformSetsALimitAndBadLimitsAreRefused() {
        String key = tenantWithKey("quota-own", List.of("catalog:write", "catalog:read", "events:write"));
        assertThat(getJson(key, "/v1/admin/tenants/quota-own", 200).hasNonNull("rate_limit")).isFalse();
        JsonNode denied = putJson(key, "/v1/admin/tenants/quota-own", "{\"rate_limit\":{\"events_per_second\":1000}}", 403);
        assertThat(denied.get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        // the tenant may still rename itself
        putJson(key, "/v1/admin/tenants/quota-own", "{\"name\":\"Own\"}", 200);
        JsonNode bad = putJson(ADMIN_KEY, "/v1/admin/tenants/quota-own",
                "{\"rate_limit\":{\"events_per_second\":\"many\",\"burst\":-1}}", 422);
        assertThat(bad.get("errors").findValuesAsText("pointer"))
                .containsExactlyInAnyOrder("/rate_limit/events_per_second", "/rate_limit/burst");
        assertThat(putJson(ADMIN_KEY, "/v1/admin/tenants/quota-own", "{\"rate_limit\":5}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactly("/rate_limit");
        JsonNode set = putJson(ADMIN_KEY, "/v1/admin/tenants/quota-own", "{\"rate_limit\":{\"events_per_second\":7}}", 200);
        assertThat(set.at("/rate_limit/events_per_second").asInt()).isEqualTo(7);
        assertThat(set.at("/rate_limit/burst").asInt()).isEqualTo(7);
        assertThat(set.get("name").asText()).isEqualTo("Own");
        assertThat(putJson(ADMIN_KEY, "/v1/admin/tenants/quota-own", "{\"rate_limit\":null}", 200)
                .hasNonNull("rate_limit")).isFalse();
    }

    @Test
    void overItsLimitATenantGets429WithRetryAfterAndAnotherTenantIsNotDelayed() throws Exception {
        String flood = tenantWithKey("quota-flood", List.of("catalog:write", "events:write"));
        String calm = tenantWithKey("quota-calm", List.of("catalog:write", "events:write"));
        postJson(flood, "/v1/admin/event-types", "{\"name\":\"click\"}", 201);
        postJson(calm, "/v1/admin/event-types", "{\"name\":\"click\"}", 201);
        putJson(ADMIN_KEY, "/v1/admin/tenants/quota-flood", "{\"rate_limit\":{\"events_per_second\":20,\"burst\":10}}", 200);

        // the burst, then the rate: of 80 events sent at once, 10 go through and 20 a second after. At once, not one
        // after the other: sent in turn, a slow moment of the machine (50 ms an answer) keeps the client under the rate
        int accepted = 0;
        HttpResponse<String> limited = null;
        long started = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            sent.add(http.sendAsync(request(flood, "/v1/events", "{\"event_type\":\"click\",\"user_id\":\"f\"}"),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var answer : sent) {
            HttpResponse<String> r = answer.join();
            if (r.statusCode() == 202) {
                accepted++;
            } else {
                limited = r;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // the bucket's refill during the sending is allowed for; some of the 80 are refused unless sending them took 3.5 s
        assertThat(accepted).isBetween(10, 10 + (int) Math.ceil(20 * seconds) + 1);
        assertThat(limited).isNotNull();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(json(limited.body().getBytes()).get("code").asText()).isEqualTo("RATE_LIMITED");
        // a batch counts its events
        HttpResponse<String> batch = send(flood, "/v1/events:batch", "{\"events\":[" + "{\"event_type\":\"click\",\"user_id\":\"f\"},".repeat(29)
                + "{\"event_type\":\"click\",\"user_id\":\"f\"}]}");
        assertThat(batch.statusCode()).isEqualTo(429);

        // the calm tenant alone, then beside the flood: 300 events each time at 30 a second, timed from when due
        List<Long> alone = paced(calm, 300, 30);
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger floodAccepted = new AtomicInteger();
        AtomicInteger floodLimited = new AtomicInteger();
        // the flood: 200 requests a second (ten times its limit), open loop, from a client of its own
        HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        java.util.concurrent.ScheduledExecutorService flooder = Executors.newScheduledThreadPool(2);
        flooder.scheduleAtFixedRate(() -> own.sendAsync(request(flood, "/v1/events",
                        "{\"event_type\":\"click\",\"user_id\":\"f\"}"), HttpResponse.BodyHandlers.discarding())
                .thenAccept(r -> (r.statusCode() == 202 ? floodAccepted : floodLimited).incrementAndGet()),
                0, 5, java.util.concurrent.TimeUnit.MILLISECONDS);
        // measured once the flood is being refused
        await().atMost(Duration.ofSeconds(10)).until(() -> floodLimited.get() >= 50);
        List<Long> beside = paced(calm, 300, 30);
        flooder.shutdownNow();
        flooding.set(false);

        long p99Alone = p99(alone);
        long p99Beside = p99(beside);
        System.out.printf("quota: calm tenant p99 %d ms alone, %d ms beside the flood (%d flood events accepted, %d"
                + " refused with 429)%n", p99Alone, p99Beside, floodAccepted.get(), floodLimited.get());
        assertThat(floodLimited.get()).as("the flood was refused").isGreaterThan(floodAccepted.get());
        assertThat(p99Beside - p99Alone).as("the flood's delay of the calm tenant at p99, in ms").isLessThanOrEqualTo(100);
    }

    /** Sends {@code n} events at {@code rate}/s, each timed from when it was due until accepted; ms each. */
    private List<Long> paced(String key, int n, int rate) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            HttpResponse<String> r = send(key, "/v1/events", "{\"event_type\":\"click\",\"user_id\":\"c" + i + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            latencies.add((System.nanoTime() - due) / 1_000_000);
        }
        return latencies;
    }

    private static long p99(List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        sorted.sort(Long::compare);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    private HttpResponse<String> send(String key, String path, String body) {
        return send(http, key, path, body);
    }

    private HttpRequest request(String key, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(HttpClient client, String key, String path, String body) {
        try {
            return client.send(request(key, path, body), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
