package io.laurel.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.laurel.api.Event;
import io.laurel.api.RedemptionRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's retries, errors and requests against a scripted HTTP server (the JDK's): what Laurel answers is
 * played back in order, what the client sends is recorded. The SDK against the real platform: ClientSdkIT.
 */
class LaurelClientTest {
    private record Answer(int status, String body, Map<String, String> headers) {
    }

    private record Sent(String method, String uri, String body, Map<String, List<String>> headers) {
    }

    private HttpServer server;
    private final List<Answer> script = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    private LaurelClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = LaurelClient.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).apiKey("lrl_k")
                .backoff(Duration.ofMillis(10), Duration.ofSeconds(2)).maxRetries(3).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange x) throws IOException {
        sent.add(new Sent(x.getRequestMethod(), x.getRequestURI().toString(),
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), x.getRequestHeaders()));
        int i = next.getAndIncrement();
        Answer a = i < script.size() ? script.get(i) : new Answer(500, "{\"status\":500,\"title\":\"no script\"}", Map.of());
        a.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", a.status() >= 400 ? "application/problem+json" : "application/json");
        x.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    private void then(int status, String body, Map<String, String> headers) {
        script.add(new Answer(status, body, headers));
    }

    private void then(int status, String body) {
        then(status, body, Map.of());
    }

    private static final String UNAVAILABLE = "{\"status\":503,\"title\":\"Unavailable\",\"code\":\"EVENT_LOG_UNAVAILABLE\","
            + "\"detail\":\"Kafka did not acknowledge it\"}";

    @Test
    void aReadIsRetriedAfterA503AndSendsTheKey() {
        then(503, UNAVAILABLE);
        then(503, UNAVAILABLE);
        then(200, "{\"user_id\":\"42\",\"balances\":[{\"currency\":\"points\",\"earned\":30,\"redeemed\":0,\"available\":30}]}");
        var points = client.points("42");
        assertThat(points.balances().get(0).available()).isEqualTo(30);
        assertThat(sent).hasSize(3).allSatisfy(s -> {
            assertThat(s.uri()).isEqualTo("/v1/users/42/points");
            assertThat(s.headers().get("Authorization")).containsExactly("Bearer lrl_k");
        });
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        then(429, "{\"status\":429,\"code\":\"RATE_LIMITED\"}", Map.of("Retry-After", "1"));
        then(202, "{\"event_id\":\"e1\",\"status\":\"accepted\"}");
        long started = System.nanoTime();
        var receipt = client.send(Event.of("visit", "u1", Map.of()));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(receipt.eventId()).isEqualTo("e1");
        assertThat(sent).hasSize(2);
    }

    @Test
    void anEventWithoutAnIdempotenceKeyIsNotRepeatedAfterA503ItMayHaveBeenAppended() {
        then(503, UNAVAILABLE);
        assertThatThrownBy(() -> client.send(Event.of("visit", "u1", Map.of())))
                .isInstanceOfSatisfying(LaurelApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("EVENT_LOG_UNAVAILABLE");
                    assertThat(e.getMessage()).contains("503 EVENT_LOG_UNAVAILABLE: Kafka did not acknowledge it");
                });
        assertThat(sent).hasSize(1);
    }

    @Test
    void anEventWithAnIdempotenceKeyIsRepeatedAfterA503() {
        then(503, UNAVAILABLE);
        then(200, "{\"event_id\":\"e0\",\"status\":\"duplicate\"}");
        var receipt = client.send(Event.of("visit", "u1", Map.of("n", 1)).withIdempotenceKey("k-1"));
        assertThat(receipt.status()).isEqualTo("duplicate");
        assertThat(sent).hasSize(2).allSatisfy(s -> assertThat(s.body()).contains("\"idempotence_key\":\"k-1\"")
                .contains("\"event_type\":\"visit\"").contains("\"event_data\":{\"n\":1}"));
    }

    @Test
    void retriesStopAfterMaxRetriesWithTheLastProblem() {
        for (int i = 0; i < 5; i++) {
            then(503, UNAVAILABLE);
        }
        assertThatThrownBy(() -> client.ledger("u", 10)).isInstanceOf(LaurelApiException.class);
        assertThat(sent).hasSize(4); // the call and 3 retries
    }

    @Test
    void aValidationProblemCarriesItsFieldErrors() {
        then(422, "{\"type\":\"about:blank\",\"title\":\"Unprocessable\",\"status\":422,\"detail\":\"event_data does not match\","
                + "\"code\":\"SCHEMA_VIOLATION\",\"errors\":[{\"pointer\":\"/event_data/amount\",\"message\":\"expected number\"}]}");
        assertThatThrownBy(() -> client.send(Event.of("deposit", "u", Map.of("amount", "x"))))
                .isInstanceOfSatisfying(LaurelApiException.class, e -> {
                    assertThat(e.problem().errors()).singleElement().satisfies(f ->
                            assertThat(f.pointer()).isEqualTo("/event_data/amount"));
                    assertThat(e.getMessage()).contains("[/event_data/amount expected number]");
                });
        assertThat(sent).hasSize(1);
    }

    @Test
    void anErrorPageThatIsNotJsonStillBecomesAProblem() {
        then(502, "<html>Bad Gateway</html>");
        assertThatThrownBy(() -> client.version()).isInstanceOfSatisfying(LaurelApiException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.problem().detail()).isEqualTo("<html>Bad Gateway</html>");
            assertThat(e.code()).isNull();
        });
    }

    @Test
    void aRedemptionWithoutAKeyGetsOneAndKeepsItAcrossRetries() {
        then(503, "{\"status\":503,\"code\":\"WALLET_UNAVAILABLE\"}");
        then(201, "{\"id\":\"r1\",\"status\":\"completed\",\"user_id\":\"u\",\"points\":5,\"currency\":\"points\"}");
        var r = client.redeem(RedemptionRequest.of("u", 5, "a mug"));
        assertThat(r.status()).isEqualTo("completed");
        List<String> keys = sent.stream().map(s -> s.body().replaceAll(".*\"idempotency_key\":\"([^\"]+)\".*", "$1")).toList();
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0)).isEqualTo(keys.get(1)).matches("[0-9a-f-]{36}");
    }

    @Test
    void aGivenRedemptionKeyIsSentAsGiven() {
        then(201, "{\"id\":\"r1\",\"status\":\"completed\"}");
        client.redeem(RedemptionRequest.of("u", 5, "a mug").withIdempotencyKey("order-7"));
        assertThat(sent.peek().body()).contains("\"idempotency_key\":\"order-7\"");
    }

    @Test
    void queryValuesAreEncodedAndNullOnesLeftOut() {
        then(200, "{\"events\":[]}");
        client.eventLog("a b&c", null, 5);
        assertThat(sent.peek().uri()).isEqualTo("/v1/event-log?user_id=a%20b%26c&limit=5");
    }

    @Test
    void aRefusedConnectionIsATransportError() {
        LaurelClient nowhere = LaurelClient.builder().baseUrl("http://127.0.0.1:1").maxRetries(1)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(10)).build();
        assertThatThrownBy(nowhere::version).isInstanceOf(LaurelException.class)
                .isNotInstanceOf(LaurelApiException.class).hasMessageContaining("GET /v1/version failed");
    }

    @Test
    void theReactiveClientSendsOnlyWhenSubscribedAndEachTime() {
        then(200, "{\"version\":\"1.0.0\",\"api_version\":\"1\",\"commit\":\"abc\"}");
        then(200, "{\"version\":\"1.0.0\",\"api_version\":\"1\",\"commit\":\"abc\"}");
        var mono = client.reactive().version();
        assertThat(sent).isEmpty();
        StepVerifier.create(mono).assertNext(v -> assertThat(v.apiVersion()).isEqualTo("1")).verifyComplete();
        StepVerifier.create(mono).expectNextCount(1).verifyComplete();
        assertThat(sent).hasSize(2);
    }

    @Test
    void theReactiveClientSignalsProblemsAsErrors() {
        then(404, "{\"status\":404,\"code\":\"USER_NOT_RANKED\",\"detail\":\"no score\"}");
        StepVerifier.create(client.reactive().rank("all-time", "nobody"))
                .expectErrorSatisfies(e -> assertThat(((LaurelApiException) e).code()).isEqualTo("USER_NOT_RANKED"))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void retryAfterReadsSecondsAndDates() {
        assertThat(Transport.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Transport.retryAfter(" ")).isNull();
        assertThat(Transport.retryAfter("soon")).isNull();
        assertThat(Transport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        String inTen = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(10));
        assertThat(Transport.retryAfter(inTen)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
    }
}
