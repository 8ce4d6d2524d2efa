package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP calls with one key to a platform started by a test as a process of its own (or on a port of its own). */
final class PlatformClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String key;
    private volatile int port;

    PlatformClient(int port, String key) {
        this.port = port;
        this.key = key;
    }

    void port(int port) {
        this.port = port;
    }

    HttpRequest request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60));
        return (body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)))
                .build();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's JSON, asserting its status. */
    JsonNode call(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return LaurelJson.mapper().readTree(r.body());
    }

    /**
     * A port free now, from 10000-17999: below Linux's ephemeral ports (32768 and up), which any outgoing connection
     * may take while a process that is to listen on the port starts or restarts (a CI run lost a cluster that way),
     * below ClusterIT's ranges, never handed out twice in one test JVM, and from a quarter of the range of its own for
     * each of the test JVMs that run side by side (failsafe's laurel.test.fork), so that one never takes a port
     * another's process is restarting on.
     */
    static int freePort() {
        int fork = Math.floorMod(Integer.getInteger("laurel.test.fork", 1) - 1, 4);
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int candidate = 10_000 + 2_000 * fork + java.util.concurrent.ThreadLocalRandom.current().nextInt(2_000);
            if (!HANDED_OUT.add(candidate)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(candidate)) {
                return candidate;
            } catch (java.io.IOException taken) {
                // another one
            }
        }
        throw new IllegalStateException("no free port in " + (10_000 + 2_000 * fork) + "-" + (11_999 + 2_000 * fork));
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends {@code events} "visit" events of {@code users} users in batches of {@code batch} with idempotence keys
     * ({@code v-<n>}), each batch again after {@code pauseMillis} until every event in it is accepted or a duplicate
     * (the platform killed, starting, or an instance behind the gateway gone mid-request); counts them in
     * {@code accepted}, sets {@code done} at the end.
     */
    void streamVisits(int events, int users, int batch, long pauseMillis, java.util.concurrent.atomic.AtomicInteger accepted,
                      java.util.concurrent.atomic.AtomicBoolean done) {
        for (int from = 0; from < events; from += batch) {
            StringBuilder b = new StringBuilder("{\"events\":[");
            for (int i = from; i < from + batch; i++) {
                b.append(i > from ? "," : "").append("{\"event_type\":\"visit\",\"user_id\":\"u").append(i % users)
                        .append("\",\"idempotence_key\":\"v-").append(i).append("\"}");
            }
            String body = b.append("]}").toString();
            while (true) {
                try {
                    HttpResponse<String> r = send("POST", "/v1/events:batch", body);
                    if (r.statusCode() == 200 && LaurelJson.mapper().readTree(r.body()).get("results")
                            .findValuesAsText("status").stream().allMatch(s -> s.equals("accepted") || s.equals("duplicate"))) {
                        accepted.addAndGet(batch);
                        break;
                    }
                } catch (Exception e) {
                    // down, starting, or gone mid-request: the same batch again
                }
                sleep(pauseMillis);
            }
        }
        done.set(true);
    }
}
