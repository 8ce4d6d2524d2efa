package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leaderboard definitions with periods in a non-UTC zone, group boards, each tie strategy, past periods,
 * around-me, and a board defined after the points were earned, filled by an automatic rebuild beside the
 * live one.
 */
class LeaderboardPeriodsIT extends PlatformTestSupport {
    private String key;

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, LeaderboardPeriodsIT.class);
    }

    private JsonNode put(String path, String body, int status) {
        return json(client().put().uri(path).header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isEqualTo(status)
                .expectBody().returnResult().getResponseBodyContent());
    }

    private void play(String user, long score, String occurredAt, String... groups) {
        String g = groups.length == 0 ? "" : ",\"groups\":[\"" + String.join("\",\"", groups) + "\"]";
        postJson(key, "/v1/events", "{\"event_type\":\"play\",\"user_id\":\"" + user + "\",\"event_data\":{\"score\":"
                + score + "},\"occurred_at\":\"" + occurredAt + "\"" + g + "}", 202);
    }

    private static List<String> ranksAndUsers(JsonNode board) {
        List<String> out = new ArrayList<>();
        board.get("entries").forEach(e -> out.add(e.get("rank").asLong() + ":" + e.get("user_id").asText() + ":"
                + e.get("score").asLong()));
        return out;
    }

    @Test
    void periodsGroupsTiesPastPeriodsAndBackfill() {
        key = tenantWithKey("arena", List.of("events:write", "catalog:write", "catalog:read", "points:read",
                "leaderboards:read", "ops"));
        put("/v1/admin/tenants/arena", "{\"time_zone\":\"Europe/Zurich\"}", 200);
        postJson(key, "/v1/admin/event-types", "{\"name\":\"play\",\"event_data_schema\":{\"required\":[\"score\"],"
                + "\"properties\":{\"score\":\"integer\"}}}", 201);
        postJson(key, "/v1/admin/rules", "{\"name\":\"score\",\"event_type\":\"play\",\"points_expression\":\"score\"}", 201);

        JsonNode weekly = postJson(key, "/v1/admin/leaderboards", "{\"id\":\"weekly\",\"name\":\"This week\","
                + "\"period\":\"weekly\"}", 201);
        assertThat(weekly.get("time_zone").asText()).as("the tenant's zone by default").isEqualTo("Europe/Zurich");
        assertThat(weekly.get("tie_strategy").asText()).isEqualTo("competition");
        postJson(key, "/v1/admin/leaderboards", "{\"id\":\"teams\",\"group_by\":\"group\",\"tie_strategy\":\"dense\"}", 201);
        postJson(key, "/v1/admin/leaderboards", "{\"id\":\"race\",\"period\":\"daily\",\"tie_strategy\":\"first_to_reach\","
                + "\"time_zone\":\"America/New_York\"}", 201);
        // bad definitions
        assertThat(postJson(key, "/v1/admin/leaderboards", "{\"id\":\"weekly\"}", 409).get("code").asText())
                .isEqualTo("LEADERBOARD_EXISTS");
        assertThat(postJson(key, "/v1/admin/leaderboards", "{\"id\":\"all-time\"}", 409).get("code").asText())
                .isEqualTo("LEADERBOARD_EXISTS");
        assertThat(postJson(key, "/v1/admin/leaderboards", "{\"id\":\"Bad Id\",\"period\":\"hourly\"}", 422)
                .get("errors").findValuesAsText("pointer")).containsExactly("/id");
        assertThat(postJson(key, "/v1/admin/leaderboards", "{\"id\":\"x\",\"period\":\"hourly\",\"group_by\":\"team\","
                + "\"tie_strategy\":\"coin\",\"time_zone\":\"Mars/Olympus\",\"start_date\":\"2026-05-02\","
                + "\"end_date\":\"2026-05-01\"}", 422).get("errors").findValuesAsText("pointer"))
                .containsExactlyInAnyOrder("/period", "/group_by", "/tie_strategy", "/time_zone", "/end_date");
        assertThat(put("/v1/admin/leaderboards/all-time", "{\"period\":\"daily\"}", 403).get("code").asText())
                .isEqualTo("SYSTEM_LEADERBOARD");
        getJson(key, "/v1/admin/leaderboards/nope", 404);
        assertThat(getJson(key, "/v1/admin/leaderboards", 200).get("leaderboards").findValuesAsText("id"))
                .containsExactly("all-time", "race", "teams", "weekly");

        // Sunday 3 May 23:30 in Zurich is the week of 27 April; 00:30 on Monday 4 May is the next week
        play("ann", 30, "2026-05-03T21:30:00Z", "red");
        play("bob", 30, "2026-05-03T21:40:00Z", "red", "blue");
        play("cid", 10, "2026-05-03T21:50:00Z", "blue");
        play("ann", 5, "2026-05-03T22:30:00Z", "red");
        play("dee", 50, "2026-05-03T22:40:00Z");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(key, "/v1/leaderboards/all-time", 200).get("total").asLong() == 4);

        JsonNode lastWeek = getJson(key, "/v1/leaderboards/weekly?at=2026-05-03", 200);
        assertThat(lastWeek.get("period_start").asText()).isEqualTo("2026-04-26T22:00:00Z");
        assertThat(ranksAndUsers(lastWeek)).containsExactly("1:ann:30", "1:bob:30", "3:cid:10");
        JsonNode thisWeek = getJson(key, "/v1/leaderboards/weekly?at=2026-05-04T08:00:00Z", 200);
        assertThat(thisWeek.get("period_start").asText()).isEqualTo("2026-05-03T22:00:00Z");
        assertThat(ranksAndUsers(thisWeek)).containsExactly("1:dee:50", "2:ann:5");
        assertThat(getJson(key, "/v1/leaderboards/weekly/users/cid?at=2026-05-01", 200).get("rank").asLong()).isEqualTo(3);
        assertThat(getJson(key, "/v1/leaderboards/weekly/users/dee?at=2026-05-01", 404).get("code").asText())
                .isEqualTo("USER_NOT_RANKED");
        assertThat(getJson(key, "/v1/leaderboards/weekly?at=May", 400).get("code").asText()).isEqualTo("INVALID_AT");

        // groups roll up: red = ann 35 + bob 30, blue = bob 30 + cid 10; dense ranks
        assertThat(ranksAndUsers(getJson(key, "/v1/leaderboards/teams", 200))).containsExactly("1:red:65", "2:blue:40");

        // first to reach, by day in New York: ann and bob both have 30 on 3 May there; ann got there first
        JsonNode race = getJson(key, "/v1/leaderboards/race?at=2026-05-03", 200);
        assertThat(race.get("period_start").asText()).isEqualTo("2026-05-03T04:00:00Z");
        assertThat(ranksAndUsers(race)).containsExactly("1:dee:50", "2:ann:35", "3:bob:30", "4:cid:10");

        // around-me at the top, the middle and the bottom of the all-time board
        JsonNode allTime = getJson(key, "/v1/leaderboards/all-time?limit=10", 200);
        assertThat(ranksAndUsers(allTime)).containsExactly("1:dee:50", "2:ann:35", "3:bob:30", "4:cid:10");
        assertThat(ranksAndUsers(getJson(key, "/v1/leaderboards/all-time/around/dee?radius=1", 200)))
                .containsExactly("1:dee:50", "2:ann:35");
        assertThat(ranksAndUsers(getJson(key, "/v1/leaderboards/all-time/around/ann?radius=1", 200)))
                .containsExactly("1:dee:50", "2:ann:35", "3:bob:30");
        assertThat(ranksAndUsers(getJson(key, "/v1/leaderboards/all-time/around/cid?radius=1", 200)))
                .containsExactly("3:bob:30", "4:cid:10");

        // a board defined now is filled from the whole journal: the live generation did not start with it, so the
        // service rebuilds the projection beside the live one (which keeps answering) and switches to it
        postJson(key, "/v1/admin/leaderboards", "{\"id\":\"may\",\"period\":\"monthly\",\"start_date\":\"2026-05-01\"}", 201);
        assertThat(getJson(key, "/v1/leaderboards/teams", 200).get("total").asLong()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(ranksAndUsers(getJson(key, "/v1/leaderboards/may?at=2026-05-10", 200)))
                        .containsExactly("1:dee:50", "2:ann:35", "3:bob:30", "4:cid:10"));
        // and nothing else moved
        assertThat(ranksAndUsers(getJson(key, "/v1/leaderboards/teams", 200))).containsExactly("1:red:65", "2:blue:40");

        // a retired board is gone
        client().delete().uri("/v1/admin/leaderboards/may").header("Authorization", "Bearer " + key).exchange()
                .expectStatus().isNoContent().expectBody().returnResult();
        getJson(key, "/v1/leaderboards/may", 404);
    }
}
