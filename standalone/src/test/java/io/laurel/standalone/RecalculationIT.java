package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rule changed from 10 to 20 points, then a recalculation from a date: the dry run's totals and per-user
 * changes (worked out by hand below), balances untouched until apply, then balances, ledger, a past weekly
 * board and a level reached by the adjustment; a second apply posts nothing; a stale one is refused; tenant
 * operations are the tenant's only.
 */
class RecalculationIT extends PlatformTestSupport {
    private static final List<String> ALL = List.of("events:write", "events:read", "catalog:read", "catalog:write",
            "points:read", "points:write", "leaderboards:read", "badges:read", "badges:write", "ops");

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, RecalculationIT.class);
    }

    private String key;

    @org.springframework.beans.factory.annotation.Autowired
    io.laurel.runtime.projection.ProjectionManager projections;

    private void like(String user, String occurredAt, String idempotenceKey, String action) {
        postJson(key, "/v1/events", "{\"event_type\":\"like\",\"user_id\":\"" + user + "\",\"occurred_at\":\"" + occurredAt
                + "\"" + (idempotenceKey == null ? "" : ",\"idempotence_key\":\"" + idempotenceKey + "\"")
                + (action == null ? "" : ",\"event_action\":\"" + action + "\"") + "}", 202);
    }

    private long earned(String user) {
        JsonNode b = getJson(key, "/v1/users/" + user + "/points", 200).at("/balances/0/earned");
        return b.asLong();
    }

    private JsonNode recalculation(String id) {
        return getJson(key, "/v1/ops/recalculations/" + id, 200);
    }

    private JsonNode awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> recalculation(id).get("status").asText().equals(status));
        return recalculation(id);
    }

    private long weekScore(String user, String at) {
        JsonNode board = getJson(key, "/v1/leaderboards/weekly?limit=100&at=" + at, 200);
        for (JsonNode e : board.get("entries")) {
            if (e.get("user_id").asText().equals(user)) {
                return e.get("score").asLong();
            }
        }
        return 0;
    }

    @Test
    void aChangedRuleIsAppliedToHistoryFromADate() {
        key = tenantWithKey("recalc", ALL);
        postJson(key, "/v1/admin/event-types", "{\"name\":\"like\"}", 201);
        String rule = postJson(key, "/v1/admin/rules", "{\"name\":\"likes\",\"event_type\":\"like\",\"points\":10}", 201)
                .get("id").asText();
        postJson(key, "/v1/admin/leaderboards", "{\"id\":\"weekly\",\"name\":\"Weekly\",\"period\":\"weekly\","
                + "\"time_zone\":\"UTC\"}", 201);
        postJson(key, "/v1/admin/levels", "{\"id\":\"ranks\",\"name\":\"Ranks\",\"levels\":["
                + "{\"number\":1,\"name\":\"Gold\",\"threshold\":80}]}", 201);

        // before the window (2026-03-01): one like of ann, in the week of 2026-02-16
        like("ann", "2026-02-20T10:00:00Z", null, null);
        // in the window, week of 2026-03-02: three likes of ann, two of bob
        like("ann", "2026-03-02T09:00:00Z", null, null);
        like("ann", "2026-03-02T10:00:00Z", null, null);
        like("ann", "2026-03-03T11:00:00Z", null, null);
        like("bob", "2026-03-03T09:00:00Z", null, null);
        like("bob", "2026-03-04T09:00:00Z", null, null);
        // one of ann's, created and removed: it stays removed
        like("ann", "2026-03-02T06:00:00Z", "k-removed", null);
        like("ann", "2026-03-02T06:00:00Z", "k-removed", "remove");
        // received last, but it occurred in the window: a late event, included
        like("ann", "2026-03-02T05:00:00Z", null, null);
        // ann: 5 likes kept x 10 = 50; bob: 2 x 10 = 20
        // ann's balance is 50 also between the removed one's create and its removal: wait for her last event, the
        // late one, in her ledger (her events are folded in order)
        await().atMost(Duration.ofSeconds(60)).until(() -> earned("ann") == 50 && earned("bob") == 20
                && getJson(key, "/v1/users/ann/ledger?limit=1000", 200).get("entries").findValuesAsText("occurred_at")
                .contains("2026-03-02T05:00:00Z"));
        long annEntries = getJson(key, "/v1/users/ann/ledger?limit=1000", 200).get("entries").size();

        putJson(key, "/v1/admin/rules/" + rule, "{\"name\":\"likes\",\"event_type\":\"like\",\"points\":20}", 200);
        // scored by the new version already: the recalculation leaves it alone
        like("bob", "2026-03-04T10:00:00Z", null, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> earned("bob") == 40);
        // the leaderboards fold on their own, behind scoring (bob's 40 is his last value; ann's board passes 40 on
        // the way too, and her value after the apply is the one checked against the journal)
        await().atMost(Duration.ofSeconds(60)).until(() -> weekScore("ann", "2026-03-04T00:00:00Z") == 40
                && weekScore("bob", "2026-03-04T00:00:00Z") == 40);
        assertThat(getJson(key, "/v1/users/ann/levels", 200).at("/levels/0/level/name").asText()).isEmpty();

        JsonNode started = postJson(key, "/v1/ops/recalculations", "{\"from\":\"2026-03-01T00:00:00Z\",\"to\":null,"
                + "\"event_types\":null,\"user_ids\":null}", 202);
        String id = started.get("id").asText();
        assertThat(started.get("status").asText()).isEqualTo("running");
        JsonNode ready = awaitStatus(id, "ready");
        // by hand: ann has 4 kept likes in the window scored 10 each, now 20: +40 (50 -> 90); bob 2 x +10 = +20
        // (40 -> 60), his third like already had 20; the removed one stays at 0
        assertThat(ready.get("from").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(ready.get("to").isNull()).isTrue();
        assertThat(ready.get("events_scanned").asLong()).isEqualTo(8); // 5 of ann (the removed one too), 3 of bob
        assertThat(ready.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(ready.get("eta_seconds").asLong()).isZero();
        assertThat(ready.get("users_changed").asLong()).isEqualTo(2);
        assertThat(ready.get("entries_changed").asLong()).isEqualTo(6);
        assertThat(ready.get("totals")).hasSize(1);
        assertThat(ready.at("/totals/0/currency").asText()).isEqualTo("points");
        assertThat(ready.at("/totals/0/points_gained").asLong()).isEqualTo(60);
        assertThat(ready.at("/totals/0/points_lost").asLong()).isZero();
        assertThat(ready.at("/totals/0/net").asLong()).isEqualTo(60);
        JsonNode changes = getJson(key, "/v1/ops/recalculations/" + id + "/changes?offset=0&limit=10", 200).get("changes");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).toString()).isEqualTo(
                "{\"user_id\":\"ann\",\"currency\":\"points\",\"before\":50,\"after\":90,\"delta\":40}");
        assertThat(changes.get(1).toString()).isEqualTo(
                "{\"user_id\":\"bob\",\"currency\":\"points\",\"before\":40,\"after\":60,\"delta\":20}");
        assertThat(getJson(key, "/v1/ops/recalculations/" + id + "/changes?sort=user_id&order=desc", 200)
                .at("/changes/0/user_id").asText()).isEqualTo("bob");
        assertThat(getJson(key, "/v1/ops/recalculations/" + id + "/changes?offset=1&limit=1", 200)
                .at("/changes/0/user_id").asText()).isEqualTo("bob");
        String csv = new String(client().get().uri("/v1/ops/recalculations/" + id + "/changes")
                .header("Authorization", "Bearer " + key).accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                .expectBody().returnResult().getResponseBodyContent(), StandardCharsets.UTF_8);
        assertThat(csv).isEqualTo("user_id,currency,before,after,delta\nann,points,50,90,40\nbob,points,40,60,20\n");
        // the dry run changed nothing
        assertThat(earned("ann")).isEqualTo(50);
        assertThat(earned("bob")).isEqualTo(40);

        // another one while this one is ready
        assertThat(postJson(key, "/v1/ops/recalculations", "{}", 409).get("code").asText())
                .isEqualTo("RECALCULATION_IN_PROGRESS");

        JsonNode applying = postJson(key, "/v1/ops/recalculations/" + id + "/apply", "", 202);
        assertThat(applying.get("status").asText()).isIn("applying", "applied");
        awaitStatus(id, "applied");
        await().atMost(Duration.ofSeconds(60)).until(() -> earned("ann") == 90 && earned("bob") == 60);
        JsonNode ledger = getJson(key, "/v1/users/ann/ledger?limit=1000", 200).get("entries");
        List<JsonNode> adjusted = new ArrayList<>();
        ledger.forEach(e -> {
            if (e.get("kind").asText().equals("adjusted")) {
                adjusted.add(e);
            }
        });
        assertThat(adjusted).hasSize(4);
        assertThat(ledger.size()).isEqualTo(annEntries + 4);
        for (JsonNode a : adjusted) {
            assertThat(a.get("points").asLong()).isEqualTo(10);
            assertThat(a.get("recalculation").asText()).isEqualTo(id);
            assertThat(a.get("rule_id").asText()).isEqualTo(rule);
            assertThat(a.get("rule_version").asInt()).isEqualTo(2);
            // the original event's id and time: its award shares both
            JsonNode award = null;
            for (JsonNode e : ledger) {
                if (e.get("kind").asText().equals("awarded") && e.get("event_id").asText().equals(a.get("event_id").asText())) {
                    award = e;
                }
            }
            assertThat(award).as("the award of event %s", a.get("event_id")).isNotNull();
            assertThat(a.get("occurred_at").asText()).isEqualTo(award.get("occurred_at").asText());
        }
        assertThat(adjusted).extracting(a -> a.get("occurred_at").asText()).containsExactlyInAnyOrder(
                "2026-03-03T11:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T09:00:00Z", "2026-03-02T05:00:00Z");
        // leaderboards move in the periods of the events; the earlier week is untouched
        await().atMost(Duration.ofSeconds(60)).until(() -> weekScore("ann", "2026-03-04T00:00:00Z") == 80);
        await().atMost(Duration.ofSeconds(60)).until(() -> weekScore("bob", "2026-03-04T00:00:00Z") == 60);
        assertThat(weekScore("ann", "2026-02-20T00:00:00Z")).isEqualTo(10);
        assertThat(getJson(key, "/v1/leaderboards/all-time/users/ann", 200).get("score").asLong()).isEqualTo(90);
        // and the adjustment lifts ann to Gold (80); bob (60) is not there
        await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(key, "/v1/users/ann/levels", 200).at("/levels/0/level/name").asText().equals("Gold"));
        assertThat(getJson(key, "/v1/users/bob/levels", 200).at("/levels/0/level/name").asText()).isEmpty();

        // applying again posts nothing
        assertThat(postJson(key, "/v1/ops/recalculations/" + id + "/apply", "", 202).get("status").asText())
                .isEqualTo("applied");
        like("cyd", "2026-03-05T00:00:00Z", null, null); // a marker after any repeat
        await().atMost(Duration.ofSeconds(60)).until(() -> earned("cyd") == 20);
        assertThat(getJson(key, "/v1/users/ann/ledger?limit=1000", 200).get("entries").size()).isEqualTo(annEntries + 4);
        assertThat(earned("ann")).isEqualTo(90);
        // an applied one cannot be discarded
        assertThat(json(delete(key, "/v1/ops/recalculations/" + id).expectStatus().isEqualTo(409).expectBody()
                .returnResult().getResponseBodyContent()).get("code").asText()).isEqualTo("RECALCULATION_APPLIED");

        // a second dry run finds nothing left to change
        String again = postJson(key, "/v1/ops/recalculations", "{\"from\":\"2026-03-01T00:00:00Z\"}", 202)
                .get("id").asText();
        JsonNode nothing = awaitStatus(again, "ready");
        assertThat(nothing.get("entries_changed").asLong()).isZero();
        assertThat(nothing.get("totals")).isEmpty();
        // the rules change after it: applying it is refused as stale, and it is discarded
        putJson(key, "/v1/admin/rules/" + rule, "{\"name\":\"likes\",\"event_type\":\"like\",\"points\":25}", 200);
        JsonNode stale = postJson(key, "/v1/ops/recalculations/" + again + "/apply", "", 409);
        assertThat(stale.get("code").asText()).isEqualTo("RECALCULATION_STALE");
        assertThat(recalculation(again).get("status").asText()).isEqualTo("cancelled");
        assertThat(recalculation(again).get("error").asText()).startsWith("stale:");

        // a removal inside the window after a dry run makes it stale too
        String third = postJson(key, "/v1/ops/recalculations", "{\"from\":\"2026-03-01T00:00:00Z\","
                + "\"user_ids\":[\"bob\"]}", 202).get("id").asText();
        JsonNode bobOnly = awaitStatus(third, "ready");
        assertThat(bobOnly.get("users_changed").asLong()).isEqualTo(1); // bob's three likes: +5 each
        assertThat(bobOnly.at("/totals/0/points_gained").asLong()).isEqualTo(15);
        like("bob", "2026-03-06T00:00:00Z", "k-late", null);
        like("bob", "2026-03-06T00:00:00Z", "k-late", "remove");
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson(key, "/v1/users/bob/ledger?limit=1000", 200)
                .get("entries").findValuesAsText("kind").contains("revoked"));
        assertThat(postJson(key, "/v1/ops/recalculations/" + third + "/apply", "", 409).get("code").asText())
                .isEqualTo("RECALCULATION_STALE");

        // a rebuild of scoring reproduces the journal exactly, the adjustments and revocations included (the
        // new generation is filled in bulk, without its key and readers' indexes until it has caught up)
        JsonNode rebuild = postJson(ADMIN_KEY, "/v1/ops/projections/scoring/rebuild", "{\"switch\":\"manual\"}", 202);
        String rebuildId = rebuild.get("id").asText();
        await().atMost(Duration.ofSeconds(120)).until(() -> getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + rebuildId, 200)
                .get("status").asText().equals("ready"));
        var scoring = projections.projection("scoring").orElseThrow();
        int live = projections.liveGeneration("scoring");
        int rebuilt = rebuild.get("generation").asInt();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(projections.store().checksum(scoring, rebuilt))
                .isEqualTo(projections.store().checksum(scoring, live)));
        postJson(ADMIN_KEY, "/v1/ops/rebuilds/" + rebuildId + "/switch", "", 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + rebuildId, 200)
                .get("status").asText().equals("completed"));
        assertThat(earned("ann")).isEqualTo(90);
        assertThat(getJson(key, "/v1/users/ann/ledger?limit=1000", 200).get("entries").size()).isEqualTo(annEntries + 4);

        // discarding a ready one
        String fourth = postJson(key, "/v1/ops/recalculations", "{\"event_types\":[\"like\"]}", 202).get("id").asText();
        awaitStatus(fourth, "ready");
        assertThat(json(delete(key, "/v1/ops/recalculations/" + fourth).expectStatus().isOk().expectBody()
                .returnResult().getResponseBodyContent()).get("status").asText()).isEqualTo("cancelled");
        assertThat(getJson(key, "/v1/ops/recalculations/" + fourth + "/changes", 409).get("code").asText())
                .isEqualTo("RECALCULATION_NOT_READY");
        JsonNode list = getJson(key, "/v1/ops/recalculations", 200).get("recalculations");
        assertThat(list.findValuesAsText("id")).containsExactly(fourth, third, again, id);
    }

    @Test
    void tenantOperationsAreTheTenantsOnlyAndPlatformOperationsNeedThePlatformKey() {
        String owner = tenantWithKey("owner", ALL);
        String stranger = tenantWithKey("stranger", ALL);
        String readOnly = keyFor("owner", List.of("points:read"));
        String id = postJson(owner, "/v1/ops/recalculations", "{}", 202).get("id").asText();

        for (String path : List.of("/v1/ops/recalculations/" + id, "/v1/ops/recalculations/" + id + "/changes")) {
            assertThat(getJson(stranger, path, 404).get("code").asText()).isEqualTo("RECALCULATION_NOT_FOUND");
        }
        assertThat(postJson(stranger, "/v1/ops/recalculations/" + id + "/apply", "", 404).get("code").asText())
                .isEqualTo("RECALCULATION_NOT_FOUND");
        delete(stranger, "/v1/ops/recalculations/" + id).expectStatus().isNotFound();
        assertThat(getJson(stranger, "/v1/ops/recalculations", 200).get("recalculations")).isEmpty();
        // the platform key is tenant default's: it does not see another tenant's recalculation either
        getJson(ADMIN_KEY, "/v1/ops/recalculations/" + id, 404);
        // the platform key sees every service's projections, each in one of the statuses API.md names
        JsonNode all = getJson(ADMIN_KEY, "/v1/ops/projections", 200).get("projections");
        assertThat(all.findValuesAsText("service")).contains("ingest", "scoring", "badge", "leaderboard");
        assertThat(all).isNotEmpty().allSatisfy(p -> assertThat(p.get("status").asText())
                .isIn("running", "assigning", "catching_up", "outage", "failed", "stopped"));
        // a tenant's ops key: 403 on platform operations
        assertThat(getJson(owner, "/v1/ops/projections", 403).get("code").asText()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(postJson(owner, "/v1/ops/projections/scoring/rebuild", "{}", 403).get("code").asText())
                .isEqualTo("INSUFFICIENT_SCOPE");
        // without scope ops: 403
        assertThat(postJson(readOnly, "/v1/ops/recalculations", "{}", 403).get("code").asText())
                .isEqualTo("INSUFFICIENT_SCOPE");
        getJson(readOnly, "/v1/ops/recalculations/" + id, 403);
        awaitStatusOf(owner, id, "ready");
        assertThat(getJson(owner, "/v1/ops/recalculations/" + id, 200).get("entries_changed").asLong()).isZero();
    }

    private void awaitStatusOf(String k, String id, String status) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> getJson(k, "/v1/ops/recalculations/" + id, 200).get("status").asText().equals(status));
    }

    @Test
    void badRequestsAreRefusedWithAPointerAndNothingStarts() {
        String k = tenantWithKey("badrecalc", ALL);
        postJson(k, "/v1/admin/event-types", "{\"name\":\"post\"}", 201);
        assertThat(postJson(k, "/v1/ops/recalculations", "{\"from\":", 400).get("code").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(postJson(k, "/v1/ops/recalculations", "[]", 422).get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(postJson(k, "/v1/ops/recalculations", "{\"from\":12,\"to\":\"yesterday\"}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactly("/from", "/to");
        assertThat(postJson(k, "/v1/ops/recalculations", "{\"from\":\"2026-03-02T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\"}",
                422).get("errors").findValuesAsText("pointer")).containsExactly("/to");
        assertThat(postJson(k, "/v1/ops/recalculations", "{\"event_types\":[\"post\",\"nope\",\"score.manual\",3]}", 422)
                .get("errors").findValuesAsText("pointer"))
                .containsExactly("/event_types/3", "/event_types/1", "/event_types/2");
        assertThat(postJson(k, "/v1/ops/recalculations", "{\"user_ids\":\"ann\"}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactly("/user_ids");
        String big = "{\"user_ids\":[\"" + "x".repeat(1 << 20) + "\"]}";
        post(k, "/v1/ops/recalculations", big).expectStatus().isEqualTo(413);
        assertThat(getJson(k, "/v1/ops/recalculations", 200).get("recalculations")).isEmpty();
        assertThat(getJson(k, "/v1/ops/recalculations/not-a-uuid", 404).get("code").asText())
                .isEqualTo("RECALCULATION_NOT_FOUND");
        getJson(k, "/v1/ops/recalculations/0193a7f0-0000-7000-8000-000000000000", 404);
        String id = postJson(k, "/v1/ops/recalculations", "{\"event_types\":[\"post\"]}", 202).get("id").asText();
        assertThat(getJson(k, "/v1/ops/recalculations/" + id + "/changes?sort=size", 400).get("code").asText())
                .isEqualTo("INVALID_SORT");
        assertThat(getJson(k, "/v1/ops/recalculations/" + id + "/changes?limit=5000", 400).get("code").asText())
                .isEqualTo("INVALID_PAGE");
        awaitStatusOf(k, id, "ready");
        // a repeated apply of a ready one is answered once with applying, then applied
        postJson(k, "/v1/ops/recalculations/" + id + "/apply", "", 202);
        postJson(k, "/v1/ops/recalculations/" + id + "/apply", "", 202);
        awaitStatusOf(k, id, "applied");
    }
}
