package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scoring end to end against the real broker and database: rules with conditions and expressions, caps
 * across a day boundary in a non-UTC time zone, create/remove, idempotent events, Discourse-style score
 * events, and redemptions (concurrent, held, idempotent).
 */
class ScoringIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, ScoringIT.class);
        registry.add("laurel.redemptions.hold-timeout", () -> "PT2S");
    }

    private JsonNode put(String key, String path, String body, int status) {
        byte[] b = client().put().uri(path).header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isEqualTo(status)
                .expectBody().returnResult().getResponseBodyContent();
        return json(b);
    }

    private JsonNode balance(String key, String user, String currency) {
        for (JsonNode b : getJson(key, "/v1/users/" + user + "/points", 200).get("balances")) {
            if (b.get("currency").asText().equals(currency)) {
                return b;
            }
        }
        return json("{\"earned\":0,\"redeemed\":0,\"held\":0,\"available\":0}".getBytes());
    }

    private long earned(String key, String user, String currency) {
        return balance(key, user, currency).get("earned").asLong();
    }

    private void event(String key, String body) {
        postJson(key, "/v1/events", body, 202);
    }

    @Test
    void conditionsExpressionsAndCapsAcrossAZurichDayBoundary() {
        String key = tenantWithKey("shop", List.of("events:write", "catalog:write", "catalog:read", "points:read",
                "points:write"));
        put(ADMIN_KEY, "/v1/admin/tenants/shop", "{\"time_zone\":\"Europe/Zurich\"}", 200);
        postJson(key, "/v1/admin/event-types", "{\"name\":\"purchase\",\"event_data_schema\":{\"required\":[\"amount\"],"
                + "\"properties\":{\"amount\":\"number\",\"currency\":\"string\"}}}", 201);
        postJson(key, "/v1/admin/rules", "{\"name\":\"big spender\",\"event_type\":\"purchase\",\"points\":100,"
                + "\"condition\":\"amount >= 500 && currency == 'CHF'\"}", 201);
        postJson(key, "/v1/admin/rules", "{\"name\":\"coins per 10\",\"event_type\":\"purchase\",\"currency\":\"coins\","
                + "\"points_expression\":\"floor(amount / 10)\",\"cap\":{\"period\":\"day\",\"max_points\":50}}", 201);
        JsonNode bad = postJson(key, "/v1/admin/rules", "{\"name\":\"x\",\"event_type\":\"purchase\","
                + "\"points_expression\":\"amount //\",\"cap\":{\"period\":\"fortnight\"}}", 422);
        assertThat(bad.get("errors").findValuesAsText("pointer"))
                .contains("/points_expression", "/cap/period");

        // 21:30Z and 21:59Z are the evening of 1 May in Zurich; 22:00Z is 2 May there
        event(key, "{\"event_type\":\"purchase\",\"user_id\":\"ann\",\"event_data\":{\"amount\":600,\"currency\":\"CHF\"},"
                + "\"occurred_at\":\"2026-05-01T21:30:00Z\"}");
        event(key, "{\"event_type\":\"purchase\",\"user_id\":\"ann\",\"event_data\":{\"amount\":300,\"currency\":\"EUR\"},"
                + "\"occurred_at\":\"2026-05-01T21:59:00Z\"}");
        event(key, "{\"event_type\":\"purchase\",\"user_id\":\"ann\",\"event_data\":{\"amount\":255,\"currency\":\"EUR\"},"
                + "\"occurred_at\":\"2026-05-01T22:00:00Z\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> earned(key, "ann", "coins") == 75);
        assertThat(earned(key, "ann", "points")).isEqualTo(100);
        JsonNode ledger = getJson(key, "/v1/users/ann/ledger", 200).get("entries");
        assertThat(ledger).hasSize(3); // 100 points; 50 coins (60 capped); the 21:59Z purchase nothing; 25 coins on 2 May
        assertThat(ledger.findValuesAsText("description")).contains("coins per 10 (capped)");
        assertThat(ledger.findValuesAsText("rule_version")).containsOnly("1");
    }

    @Test
    void removesRevokeTheirCreateAndRepeatedEventsCountOnce() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"like\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"liked\",\"event_type\":\"like\",\"points\":5}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"first like\",\"event_type\":\"like\",\"points\":20,"
                + "\"once_per_user\":true}", 201);
        event(ADMIN_KEY, "{\"event_type\":\"like\",\"user_id\":\"bob\",\"idempotence_key\":\"like-1\"}");
        assertThat(postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"like\",\"user_id\":\"bob\","
                + "\"idempotence_key\":\"like-1\"}", 200).get("status").asText()).isEqualTo("duplicate");
        event(ADMIN_KEY, "{\"event_type\":\"like\",\"user_id\":\"bob\",\"idempotence_key\":\"like-2\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> earned(ADMIN_KEY, "bob", "points") == 30);

        event(ADMIN_KEY, "{\"event_type\":\"like\",\"user_id\":\"bob\",\"idempotence_key\":\"like-1\",\"event_action\":\"remove\"}");
        assertThat(postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"like\",\"user_id\":\"bob\","
                + "\"idempotence_key\":\"like-1\",\"event_action\":\"remove\"}", 200).get("status").asText()).isEqualTo("duplicate");
        await().atMost(Duration.ofSeconds(60)).until(() -> earned(ADMIN_KEY, "bob", "points") == 5);
        JsonNode ledger = getJson(ADMIN_KEY, "/v1/users/bob/ledger", 200).get("entries");
        assertThat(ledger.findValuesAsText("kind")).containsExactlyInAnyOrder("awarded", "awarded", "awarded",
                "revoked", "revoked");
        // the once-per-user award was given back with its like: the next like earns it again
        event(ADMIN_KEY, "{\"event_type\":\"like\",\"user_id\":\"bob\",\"idempotence_key\":\"like-3\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> earned(ADMIN_KEY, "bob", "points") == 30);
    }

    @Test
    void discourseStyleScoreEvents() {
        JsonNode created = postJson(ADMIN_KEY, "/v1/score-events", "{\"user_id\":\"cid\",\"date\":\"2026-04-30\","
                + "\"points\":-15,\"description\":\"spam\"}", 201);
        String id = created.get("id").asText();
        assertThat(created.get("points").asLong()).isEqualTo(-15);
        assertThat(created.get("date").asText()).isEqualTo("2026-04-30");
        postJson(ADMIN_KEY, "/v1/score-events", "{\"user_id\":\"cid\",\"date\":\"2026-05-01\",\"points\":40}", 201);
        assertThat(getJson(ADMIN_KEY, "/v1/score-events?user_id=cid", 200).get("score_events")).hasSize(2);
        assertThat(getJson(ADMIN_KEY, "/v1/score-events?date=2026-04-30", 200).get("score_events").findValuesAsText("id"))
                .containsExactly(id);
        await().atMost(Duration.ofSeconds(60)).until(() -> earned(ADMIN_KEY, "cid", "points") == 25);

        JsonNode changed = put(ADMIN_KEY, "/v1/score-events", "{\"id\":\"" + id + "\",\"points\":-5,"
                + "\"description\":\"less spam\"}", 200);
        assertThat(changed.get("points").asLong()).isEqualTo(-5);
        assertThat(changed.get("description").asText()).isEqualTo("less spam");
        await().atMost(Duration.ofSeconds(60)).until(() -> earned(ADMIN_KEY, "cid", "points") == 35);
        JsonNode cidLedger = getJson(ADMIN_KEY, "/v1/users/cid/ledger", 200);
        assertThat(cidLedger.get("user_id").asText()).isEqualTo("cid");
        assertThat(cidLedger.get("entries").findValuesAsText("kind")).containsExactlyInAnyOrder("manual", "manual", "adjusted");
        // every field of the contract is there, null where an entry has no rule
        for (JsonNode entry : cidLedger.get("entries")) {
            assertThat(entry.has("rule_id") && entry.get("rule_id").isNull()).isTrue();
            assertThat(entry.has("rule_version") && entry.get("rule_version").isNull()).isTrue();
            assertThat(entry.fieldNames()).toIterable().contains("entry_id", "event_id", "points", "currency", "kind",
                    "occurred_at", "description");
        }

        assertThat(put(ADMIN_KEY, "/v1/score-events", "{\"id\":\"" + id + "\",\"points\":1,\"date\":\"2026-01-01\"}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactly("/date");
        assertThat(put(ADMIN_KEY, "/v1/score-events", "{\"id\":\"nope\",\"points\":1}", 404).get("code").asText())
                .isEqualTo("SCORE_EVENT_NOT_FOUND");
        assertThat(postJson(ADMIN_KEY, "/v1/score-events", "{\"user_id\":\"cid\",\"points\":\"ten\",\"date\":\"x\"}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactlyInAnyOrder("/points", "/date");
        assertThat(postJson(ADMIN_KEY, "/v1/score-events", "{not json", 400).get("code").asText()).isEqualTo("MALFORMED_JSON");
        String readOnly = keyFor("default", List.of("points:read", "events:write"));
        postJson(readOnly, "/v1/score-events", "{\"user_id\":\"cid\",\"points\":1}", 403);
        // a client cannot write redemptions around the wallet, nor manual points without points:write
        assertThat(postJson(readOnly, "/v1/events", "{\"event_type\":\"points.redeemed\",\"user_id\":\"cid\","
                + "\"event_data\":{\"points\":5}}", 403).get("code").asText()).isEqualTo("SYSTEM_EVENT_TYPE");
        assertThat(postJson(readOnly, "/v1/events", "{\"event_type\":\"score.manual\",\"user_id\":\"cid\","
                + "\"event_data\":{\"points\":5}}", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(getJson(ADMIN_KEY, "/v1/score-events?limit=101", 400).get("code").asText()).isEqualTo("INVALID_PAGE");
    }

    @Test
    void concurrentRedemptionsNeverOverdraw() throws Exception {
        postJson(ADMIN_KEY, "/v1/score-events", "{\"user_id\":\"dee\",\"points\":1000}", 201);
        await().atMost(Duration.ofSeconds(60)).until(() -> earned(ADMIN_KEY, "dee", "points") == 1000);

        int requests = 64;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/redemptions"))
                    .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"dee\",\"points\":30,\"description\":\"mug\","
                            + "\"idempotency_key\":\"race-" + i + "\"}")).build();
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        start.countDown();
        int completed = 0;
        int refused = 0;
        int aCompletedOne = -1;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = answers.get(i).get();
            if (r.statusCode() == 201) {
                assertThat(json(r.body().getBytes()).get("status").asText()).isEqualTo("completed");
                completed++;
                aCompletedOne = i;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
                assertThat(json(r.body().getBytes()).get("code").asText()).isEqualTo("INSUFFICIENT_POINTS");
                refused++;
            }
        }
        assertThat(completed).isEqualTo(33); // 33 × 30 = 990 ≤ 1000 < 34 × 30
        assertThat(refused).isEqualTo(requests - 33);
        JsonNode b = balance(ADMIN_KEY, "dee", "points");
        assertThat(b.get("redeemed").asLong()).isEqualTo(990);
        assertThat(b.get("available").asLong()).isEqualTo(10);
        // the journal follows: 33 redeemed entries
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson(ADMIN_KEY, "/v1/users/dee/ledger?limit=1000", 200)
                .get("entries").findValuesAsText("kind").stream().filter("redeemed"::equals).count() == 33);

        // a retry with the same key returns the first result and spends nothing more
        JsonNode again = postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":\"dee\",\"points\":30,"
                + "\"idempotency_key\":\"race-" + aCompletedOne + "\"}", 201);
        assertThat(again.get("status").asText()).isIn("completed");
        assertThat(balance(ADMIN_KEY, "dee", "points").get("available").asLong()).isEqualTo(10);
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":\"dee\",\"points\":5,"
                + "\"idempotency_key\":\"race-" + aCompletedOne + "\"}", 422).get("code").asText())
                .isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void holdsAreConfirmedReleasedOrExpire() {
        postJson(ADMIN_KEY, "/v1/score-events", "{\"user_id\":\"eve\",\"points\":100}", 201);
        await().atMost(Duration.ofSeconds(60)).until(() -> earned(ADMIN_KEY, "eve", "points") == 100);

        JsonNode held = postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":\"eve\",\"points\":60,\"hold\":true,"
                + "\"hold_seconds\":600}", 201);
        assertThat(held.get("status").asText()).isEqualTo("held");
        assertThat(balance(ADMIN_KEY, "eve", "points").get("available").asLong()).isEqualTo(40);
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":\"eve\",\"points\":50}", 409).get("code").asText())
                .isEqualTo("INSUFFICIENT_POINTS");
        String id = held.get("id").asText();
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions/" + id + "/confirm", "", 200).get("status").asText())
                .isEqualTo("completed");
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions/" + id + "/release", "", 409).get("code").asText())
                .isEqualTo("REDEMPTION_NOT_HELD");

        JsonNode second = postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":\"eve\",\"points\":30,\"hold\":true,"
                + "\"hold_seconds\":600}", 201); // released by hand, not by the test's 2 s default
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions/" + second.get("id").asText() + "/release", "", 200)
                .get("status").asText()).isEqualTo("released");
        JsonNode third = postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":\"eve\",\"points\":40,\"hold\":true}", 201);
        // the test's hold timeout is 2 s
        await().atMost(Duration.ofSeconds(30)).until(() -> getJson(ADMIN_KEY, "/v1/redemptions/" + third.get("id").asText(),
                200).get("status").asText().equals("released"));
        JsonNode b = balance(ADMIN_KEY, "eve", "points");
        assertThat(b.get("held").asLong()).isZero();
        assertThat(b.get("available").asLong()).isEqualTo(40);
        assertThat(getJson(ADMIN_KEY, "/v1/redemptions/nope", 404).get("code").asText()).isEqualTo("REDEMPTION_NOT_FOUND");
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":\"eve\",\"points\":0,\"currency\":\"Bad\"}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactlyInAnyOrder("/points", "/currency");
        assertThat(getJson(ADMIN_KEY, "/v1/users/eve/redemptions", 200).get("redemptions")).hasSize(3);
    }

    @Test
    void badInputToTheScoringEndpointsGetsClearErrors() {
        String big = "{\"user_id\":\"x\",\"points\":1,\"description\":\"" + "y".repeat(20_000) + "\"}";
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions", big, 413).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(postJson(ADMIN_KEY, "/v1/score-events", big, 413).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":", 400).get("code").asText())
                .isEqualTo("MALFORMED_JSON");
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions", "[1, 2]", 422).get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":{},\"points\":\"5\",\"hold\":\"yes\","
                + "\"hold_seconds\":5,\"idempotency_key\":7}", 422).get("errors").findValuesAsText("pointer"))
                .containsExactlyInAnyOrder("/user_id", "/points", "/hold", "/hold_seconds", "/idempotency_key");
        assertThat(postJson(ADMIN_KEY, "/v1/redemptions", "{\"user_id\":\"x\",\"points\":1,\"hold_seconds\":5}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactly("/hold_seconds");
        assertThat(put(ADMIN_KEY, "/v1/score-events", "{\"id\":5}", 422).get("errors").findValuesAsText("pointer"))
                .containsExactly("");
        assertThat(put(ADMIN_KEY, "/v1/score-events", "{\"points\":5}", 422).get("errors").findValuesAsText("pointer"))
                .containsExactly("/id");
        assertThat(getJson(ADMIN_KEY, "/v1/score-events?date=yesterday", 400).get("code").asText()).isEqualTo("INVALID_DATE");
        String noPoints = keyFor("default", List.of("points:read"));
        postJson(noPoints, "/v1/redemptions", "{\"user_id\":\"x\",\"points\":1}", 403);
        postJson(noPoints, "/v1/redemptions/any/confirm", "", 403);
        client().get().uri("/v1/redemptions/any").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        // tenants: an unknown time zone is refused with its pointer
        assertThat(put(ADMIN_KEY, "/v1/admin/tenants/default", "{\"time_zone\":\"Mars/Olympus\"}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactly("/time_zone");
        assertThat(getJson(ADMIN_KEY, "/v1/admin/tenants/default", 200).get("time_zone").asText()).isEqualTo("UTC");
    }
}
