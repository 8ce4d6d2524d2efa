package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Challenges against the real broker and database: steps passed in order from events, points and badges; the
 * completion's reward as a {@code challenge.completed} event that scoring turns into points, and a reward badge;
 * progress, top users and the user summary; time boxes and deadlines; a rebuild of the badge projection that
 * yields the same progress and announces and rewards nothing again, and one that backfills a challenge defined
 * after the fact, rewarding its completions once; bad definitions.
 */
class ChallengesIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, ChallengesIT.class);
    }

    private JsonNode event(String body) {
        JsonNode answer = postJson(ADMIN_KEY, "/v1/events?wait=badges&wait_ms=10000", body, 202);
        assertThat(answer.get("badges_decided").asBoolean()).as("the badge service decided %s", body).isTrue();
        return answer;
    }

    private JsonNode progress(String user, String challenge) {
        return getJson(ADMIN_KEY, "/v1/challenges/" + challenge + "/users/" + user, 200);
    }

    private long earned(String user) {
        for (JsonNode b : getJson(ADMIN_KEY, "/v1/users/" + user + "/points", 200).get("balances")) {
            if (b.get("currency").asText().equals("points")) {
                return b.get("earned").asLong();
            }
        }
        return 0;
    }

    @Test
    void orderedStepsCompleteTheChallengeWhichRewardsPointsAndABadgeOnceEvenAfterARebuild() {
        TestEnvironment env = LaurelTestInfra.forClass(ChallengesIT.class);
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"lesson\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"quiz\",\"event_data_schema\":{\"properties\":"
                + "{\"score\":\"integer\"}}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"lesson\",\"event_type\":\"lesson\",\"points\":10}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"graduate\",\"name\":\"Graduate\",\"kind\":\"manual\"}", 201);
        JsonNode created = postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"onboarding\",\"name\":\"Onboarding\","
                + "\"ordered\":true,\"steps\":[{\"id\":\"read\",\"name\":\"Read a lesson\",\"kind\":\"first\","
                + "\"event_type\":\"lesson\"},{\"id\":\"quizzes\",\"kind\":\"count\",\"event_type\":\"quiz\","
                + "\"threshold\":2,\"condition\":\"score >= 50\"},{\"id\":\"earn\",\"kind\":\"points\",\"threshold\":30}],"
                + "\"reward\":{\"points\":100,\"badge_id\":\"graduate\"}}", 201);
        assertThat(created.get("version").asInt()).isEqualTo(1);
        assertThat(created.at("/reward/points").asLong()).isEqualTo(100);
        assertThat(created.at("/reward/currency").asText()).isEqualTo("points");
        assertThat(created.get("steps").findValuesAsText("id")).containsExactly("read", "quizzes", "earn");

        JsonNode before = progress("cat", "onboarding");
        assertThat(before.get("status").asText()).isEqualTo("not_started");
        assertThat(before.get("steps_total").asInt()).isEqualTo(3);

        // a later step first: it counts and starts the attempt, but waits behind the first step (ordered)
        event("{\"event_type\":\"quiz\",\"user_id\":\"cat\",\"event_data\":{\"score\":80}}");
        JsonNode early = progress("cat", "onboarding");
        assertThat(early.get("status").asText()).isEqualTo("in_progress");
        assertThat(early.get("steps_passed").asInt()).isZero();
        assertThat(early.at("/steps/1/progress").asLong()).isEqualTo(1);
        event("{\"event_type\":\"lesson\",\"user_id\":\"cat\"}");
        JsonNode one = progress("cat", "onboarding");
        assertThat(one.get("steps_passed").asInt()).isEqualTo(1);
        assertThat(one.get("percent").asInt()).isEqualTo(33);
        assertThat(one.at("/steps/0/passed").asBoolean()).isTrue();
        assertThat(one.at("/steps/1/passed").asBoolean()).isFalse();
        // a quiz below the condition does not count; the second above it passes the step
        event("{\"event_type\":\"quiz\",\"user_id\":\"cat\",\"event_data\":{\"score\":40}}");
        assertThat(progress("cat", "onboarding").at("/steps/1/progress").asLong()).isEqualTo(1);
        event("{\"event_type\":\"quiz\",\"user_id\":\"cat\",\"event_data\":{\"score\":90}}");
        assertThat(progress("cat", "onboarding").get("percent").asInt()).isEqualTo(66);
        // the points step counts the points earned in the attempt: 10 so far, 30 more with three lessons
        for (int i = 0; i < 3; i++) {
            event("{\"event_type\":\"lesson\",\"user_id\":\"cat\"}");
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                progress("cat", "onboarding").get("status").asText().equals("completed"));
        JsonNode done = progress("cat", "onboarding");
        assertThat(done.get("percent").asInt()).isEqualTo(100);
        assertThat(done.get("completed_at").asText()).isNotBlank();
        assertThat(done.at("/steps/2/progress").asLong()).isEqualTo(30);

        // the reward: 100 points through scoring (4 lessons × 10 + 100) and the badge
        await().atMost(Duration.ofSeconds(60)).until(() -> earned("cat") == 140);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(ADMIN_KEY, "/v1/users/cat/badges", 200).get("badges").findValuesAsText("badge_id")
                        .contains("graduate"));
        JsonNode ledger = getJson(ADMIN_KEY, "/v1/users/cat/ledger", 200);
        assertThat(ledger.toString()).contains("challenge.completed").contains("Challenge completed: Onboarding");
        await().atMost(Duration.ofSeconds(60)).until(() -> getJson(ADMIN_KEY, "/v1/notifications?user_id=cat", 200)
                .get("notifications").findValuesAsText("title").contains("You completed the challenge Onboarding"));

        // another user part of the way; the top users and the counts
        event("{\"event_type\":\"lesson\",\"user_id\":\"dan\"}");
        JsonNode leaders = getJson(ADMIN_KEY, "/v1/challenges/onboarding/leaders?limit=10", 200);
        assertThat(leaders.get("total").asLong()).isEqualTo(2);
        assertThat(leaders.get("entries").findValuesAsText("user_id")).containsExactly("cat", "dan");
        assertThat(leaders.at("/entries/0/status").asText()).isEqualTo("completed");
        assertThat(leaders.at("/entries/1/rank").asInt()).isEqualTo(2);
        assertThat(leaders.at("/entries/1/steps_passed").asInt()).isEqualTo(1);
        assertThat(getJson(ADMIN_KEY, "/v1/challenges/onboarding/leaders?offset=1&limit=1", 200).get("entries")
                .findValuesAsText("user_id")).containsExactly("dan");
        JsonNode challenge = getJson(ADMIN_KEY, "/v1/challenges/onboarding", 200);
        assertThat(challenge.get("participants").asLong()).isEqualTo(2);
        assertThat(challenge.get("completed").asLong()).isEqualTo(1);
        assertThat(ids(getJson(ADMIN_KEY, "/v1/challenges", 200).get("challenges"))).contains("onboarding");
        JsonNode summary = getJson(ADMIN_KEY, "/v1/users/cat", 200);
        assertThat(of(summary.get("challenges"), "onboarding").get("status").asText()).isEqualTo("completed");
        assertThat(of(getJson(ADMIN_KEY, "/v1/users/dan/challenges", 200).get("challenges"), "onboarding")
                .get("percent").asInt()).isEqualTo(33);

        // announced once: three steps and the completion on laurel.achievements, one completion event in the log
        List<JsonNode> achievements = topicRecords(env, env.topics().achievements().name()).stream()
                .filter(a -> a.get("user_id").asText().equals("cat") && a.get("kind").asText().startsWith("challenge_"))
                .toList();
        assertThat(achievements).extracting(a -> a.get("kind").asText()).containsExactlyInAnyOrder(
                "challenge_progressed", "challenge_progressed", "challenge_progressed", "challenge_completed");
        List<JsonNode> completions = completions(env, "cat");
        assertThat(completions).hasSize(1);
        assertThat(completions.get(0).at("/event_data/points").asLong()).isEqualTo(100);

        // a rebuild of the badge projection: the same progress and awards, nothing announced or rewarded again
        String rebuild = postJson(ADMIN_KEY, "/v1/ops/projections/badges/rebuild", "{}", 202).get("id").asText();
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "completed".equals(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + rebuild, 200).get("status").asText()));
        JsonNode rebuilt = progress("cat", "onboarding");
        assertThat(rebuilt.get("status").asText()).isEqualTo("completed");
        assertThat(rebuilt.get("completed_at").asText()).isEqualTo(done.get("completed_at").asText());
        assertThat(rebuilt.get("steps")).isEqualTo(done.get("steps"));
        assertThat(getJson(ADMIN_KEY, "/v1/users/cat/badges", 200).get("badges").findValuesAsText("badge_id"))
                .contains("graduate");
        event("{\"event_type\":\"lesson\",\"user_id\":\"dan\"}"); // the rebuilt projection is live and caught up
        assertThat(completions(env, "cat")).hasSize(1);
        assertThat(topicRecords(env, env.topics().achievements().name()).stream()
                .filter(a -> a.get("user_id").asText().equals("cat") && a.get("kind").asText().startsWith("challenge_")))
                .hasSize(4);
        assertThat(earned("cat")).isEqualTo(140);
    }

    @Test
    void aRebuildBackfillsAChallengeDefinedAfterTheFactAndRewardsItsCompletionsOnce() {
        TestEnvironment env = LaurelTestInfra.forClass(ChallengesIT.class);
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"hike\"}", 201);
        event("{\"event_type\":\"hike\",\"user_id\":\"fay\",\"occurred_at\":\"2026-06-01T08:00:00Z\"}");
        event("{\"event_type\":\"hike\",\"user_id\":\"fay\",\"occurred_at\":\"2026-06-02T08:00:00Z\"}");
        postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"hiker\",\"name\":\"Hiker\",\"steps\":[{\"kind\":"
                + "\"count\",\"event_type\":\"hike\",\"threshold\":2}],\"reward\":{\"points\":25}}", 201);
        // the live run judged the hikes before the challenge existed
        assertThat(progress("fay", "hiker").get("status").asText()).isEqualTo("not_started");
        assertThat(completions(env, "fay")).isEmpty();

        for (int round = 0; round < 2; round++) {
            String rebuild = postJson(ADMIN_KEY, "/v1/ops/projections/badges/rebuild", "{}", 202).get("id").asText();
            await().atMost(Duration.ofSeconds(90)).until(() ->
                    "completed".equals(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + rebuild, 200).get("status").asText()));
            JsonNode done = progress("fay", "hiker");
            assertThat(done.get("status").asText()).isEqualTo("completed");
            assertThat(done.get("completed_at").asText()).isEqualTo("2026-06-02T08:00:00Z");
            // the completion event is appended once, by the first rebuild, and its reward reaches scoring once
            await().atMost(Duration.ofSeconds(60)).until(() -> earned("fay") == 25);
            List<JsonNode> appended = completions(env, "fay");
            assertThat(appended).hasSize(1);
            assertThat(appended.get(0).get("occurred_at").asText()).isEqualTo("2026-06-02T08:00:00Z");
        }
    }

    /** The progress in one challenge, from a list of a user's challenges (other tests of the class add theirs). */
    private static JsonNode of(JsonNode challenges, String id) {
        for (JsonNode c : challenges) {
            if (c.get("challenge_id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no challenge " + id + " in " + challenges);
    }

    private static List<String> ids(JsonNode challenges) {
        List<String> ids = new java.util.ArrayList<>();
        challenges.forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    private static List<JsonNode> completions(TestEnvironment env, String user) {
        return topicRecords(env, env.topics().events().name()).stream()
                .filter(e -> e.path("event_type").asText().equals("challenge.completed")
                        && e.path("user_id").asText().equals(user))
                .toList();
    }

    @Test
    void timeBoxesStartAgainDeadlinesEndAndBadInputIsRefused() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"run\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"runner\",\"kind\":\"count\",\"event_type\":\"run\","
                + "\"threshold\":2}", 201);
        postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"sprint\",\"name\":\"Sprint\",\"time_box\":\"PT48H\","
                + "\"steps\":[{\"id\":\"runs\",\"kind\":\"count\",\"event_type\":\"run\",\"threshold\":3},"
                + "{\"id\":\"badge\",\"kind\":\"badge\",\"badge_id\":\"runner\"}]}", 201);
        postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"past\",\"ends_at\":\"2020-01-01T00:00:00Z\","
                + "\"steps\":[{\"kind\":\"first\",\"event_type\":\"run\"}]}", 201);

        // two runs in the box (the second earns the badge: a badge step), the third after it ran out
        event("{\"event_type\":\"run\",\"user_id\":\"eve\",\"occurred_at\":\"2026-03-01T10:00:00Z\"}");
        event("{\"event_type\":\"run\",\"user_id\":\"eve\",\"occurred_at\":\"2026-03-02T10:00:00Z\"}");
        JsonNode first = progress("eve", "sprint");
        assertThat(first.get("steps_passed").asInt()).isEqualTo(1);
        assertThat(first.get("status").asText()).isEqualTo("expired");
        assertThat(first.get("can_restart").asBoolean()).isTrue();
        assertThat(first.get("time_box_ends_at").asText()).isEqualTo("2026-03-03T10:00:00Z");
        event("{\"event_type\":\"run\",\"user_id\":\"eve\",\"occurred_at\":\"2026-03-03T10:00:00Z\"}");
        JsonNode second = progress("eve", "sprint");
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        assertThat(second.get("started_at").asText()).isEqualTo("2026-03-03T10:00:00Z");
        assertThat(second.get("steps_passed").asInt()).isZero();
        assertThat(second.at("/steps/0/progress").asLong()).isEqualTo(1);
        // the deadline passed long ago: nothing counts, and the status says so
        JsonNode past = progress("eve", "past");
        assertThat(past.get("status").asText()).isEqualTo("expired");
        assertThat(past.get("steps_passed").asInt()).isZero();
        assertThat(past.at("/steps/0/step_id").asText()).isEqualTo("step-1");

        // bad definitions
        assertThat(postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"sprint\",\"steps\":[{\"kind\":\"first\","
                + "\"event_type\":\"run\"}]}", 409).get("code").asText()).isEqualTo("CHALLENGE_EXISTS");
        JsonNode invalid = postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"bad\",\"time_box\":\"a week\","
                + "\"starts_at\":\"2026-05-01T00:00:00Z\",\"ends_at\":\"2026-04-01T00:00:00Z\",\"ordered\":\"yes\","
                + "\"reward\":{\"points\":-5},\"steps\":[{\"kind\":\"magic\"},{\"kind\":\"count\",\"event_type\":\"run\"},"
                + "{\"kind\":\"badge\"},{\"kind\":\"first\",\"event_type\":\"run\",\"condition\":\"a >\"}]}", 422);
        assertThat(invalid.get("errors").findValuesAsText("pointer")).contains("/time_box", "/ends_at", "/ordered",
                "/reward/points", "/steps/0/kind", "/steps/1/threshold", "/steps/2/badge_id", "/steps/3/condition");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"none\",\"steps\":[]}", 422).get("errors")
                .findValuesAsText("pointer")).containsExactly("/steps");
        JsonNode wrongType = postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":7,\"steps\":\"all\"}", 422);
        assertThat(wrongType.get("errors").findValuesAsText("pointer")).containsExactly("/id");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"u\",\"steps\":[{\"kind\":\"first\","
                + "\"event_type\":\"nope\"}]}", 400).get("code").asText()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
        JsonNode noBadge = postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"b\",\"steps\":[{\"kind\":\"first\","
                + "\"event_type\":\"run\"}],\"reward\":{\"badge_id\":\"nope\"}}", 400);
        assertThat(noBadge.get("code").asText()).isEqualTo("BADGE_NOT_DEFINED");
        assertThat(noBadge.get("errors").findValuesAsText("pointer")).containsExactly("/reward/badge_id");
        postJson(ADMIN_KEY, "/v1/admin/challenges", "{not json", 400);
        postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"big\",\"description\":\"" + "y".repeat(70 * 1024)
                + "\",\"steps\":[{\"kind\":\"first\",\"event_type\":\"run\"}]}", 413);
        // clients cannot post completions
        assertThat(postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"challenge.completed\",\"user_id\":\"eve\","
                + "\"event_data\":{\"challenge_id\":\"sprint\",\"points\":1000}}", 403).get("code").asText())
                .isEqualTo("SYSTEM_EVENT_TYPE");

        // reads: unknown challenge, bad page, scopes, another tenant
        assertThat(getJson(ADMIN_KEY, "/v1/challenges/nope", 404).get("code").asText()).isEqualTo("CHALLENGE_NOT_FOUND");
        getJson(ADMIN_KEY, "/v1/challenges/nope/leaders", 404);
        getJson(ADMIN_KEY, "/v1/challenges/nope/users/eve", 404);
        assertThat(getJson(ADMIN_KEY, "/v1/challenges/sprint/leaders?limit=0", 400).get("code").asText())
                .isEqualTo("INVALID_PAGE");
        getJson(ADMIN_KEY, "/v1/challenges/sprint/leaders?offset=-1", 400);
        getJson(ADMIN_KEY, "/v1/challenges/sprint/leaders?limit=ten", 400);
        getJson(keyFor("default", List.of("events:write")), "/v1/users/eve/challenges", 403);
        getJson(keyFor("default", List.of("badges:read")), "/v1/users/eve/challenges", 200);
        postJson(keyFor("default", List.of("badges:write")), "/v1/admin/challenges", "{\"id\":\"x\",\"steps\":[{\"kind\":"
                + "\"first\",\"event_type\":\"run\"}]}", 403);
        String other = tenantWithKey("rivals", List.of("badges:read", "catalog:read"));
        getJson(other, "/v1/challenges/sprint", 404);
        getJson(other, "/v1/admin/challenges/sprint", 404);
        assertThat(getJson(other, "/v1/challenges", 200).get("challenges")).isEmpty();
        assertThat(getJson(other, "/v1/users/eve/challenges", 200).get("challenges")).isEmpty();

        // revise and retire
        JsonNode revised = putJson(ADMIN_KEY, "/v1/admin/challenges/sprint", "{\"name\":\"Sprint!\",\"time_box\":"
                + "\"P3D\",\"steps\":[{\"id\":\"runs\",\"kind\":\"count\",\"event_type\":\"run\",\"threshold\":3}]}", 200);
        assertThat(revised.get("version").asInt()).isEqualTo(2);
        assertThat(revised.get("time_box").asText()).isEqualTo("PT72H");
        assertThat(ids(getJson(ADMIN_KEY, "/v1/admin/challenges", 200).get("challenges"))).contains("sprint", "past")
                .doesNotContain("bad", "none", "u", "b", "big");
        delete(ADMIN_KEY, "/v1/admin/challenges/past").expectStatus().isNoContent();
        assertThat(ids(getJson(ADMIN_KEY, "/v1/admin/challenges", 200).get("challenges"))).doesNotContain("past");
        getJson(ADMIN_KEY, "/v1/admin/challenges/past", 404);
        getJson(ADMIN_KEY, "/v1/challenges/past", 404);
    }
}
