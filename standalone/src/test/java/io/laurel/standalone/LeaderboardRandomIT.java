package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random events through the whole platform onto boards of every tie strategy, by user and by group; every
 * page, rank and neighbourhood is compared with a brute-force ranking of what was posted, before and after a
 * rebuild of the leaderboard projection (which reloads the in-memory rankings from the new generation).
 */
class LeaderboardRandomIT extends PlatformTestSupport {
    private static final int USERS = 60;
    private static final int EVENTS = 900;

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, LeaderboardRandomIT.class);
    }

    /** A member and its score, ranked as the brute force ranks them. */
    private record Row(long rank, String member, long score) {
    }

    @Test
    void ranksPagesAndNeighboursMatchABruteForceBeforeAndAfterARebuild() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"play\",\"event_data_schema\":{\"required\":[\"p\"],"
                + "\"properties\":{\"p\":\"integer\"}}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"play\",\"event_type\":\"play\",\"points_expression\":\"p\"}",
                201);
        postJson(ADMIN_KEY, "/v1/admin/leaderboards", "{\"id\":\"dense\",\"tie_strategy\":\"dense\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/leaderboards", "{\"id\":\"groups\",\"group_by\":\"group\"}", 201);

        Random random = new Random(20261122);
        Map<String, Long> byUser = new TreeMap<>();
        Map<String, Long> byGroup = new TreeMap<>();
        long total = 0;
        for (int sent = 0; sent < EVENTS; sent += 100) {
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 0; i < 100; i++) {
                String user = "u" + random.nextInt(USERS);
                int points = random.nextInt(12) - 3; // a few penalties; many equal totals
                String group = "g" + random.nextInt(6);
                byUser.merge(user, (long) points, Long::sum);
                byGroup.merge(group, (long) points, Long::sum);
                total += points;
                batch.append(i == 0 ? "" : ",").append("{\"event_type\":\"play\",\"user_id\":\"").append(user)
                        .append("\",\"groups\":[\"").append(group).append("\"],\"event_data\":{\"p\":").append(points)
                        .append("}}");
            }
            JsonNode results = postJson(ADMIN_KEY, "/v1/events:batch", batch.append("]}").toString(), 200).get("results");
            for (JsonNode r : results) {
                assertThat(r.get("status").asText()).as("%s", r).isEqualTo("accepted");
            }
        }
        long expectedTotal = total;
        // every board holds every point (the boards were defined first, but may be backfilled: wait for both)
        for (String board : List.of("all-time", "dense")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> sum(board) == expectedTotal
                    && getJson(ADMIN_KEY, "/v1/leaderboards/" + board + "?limit=1", 200).get("total").asInt()
                    == byUser.size());
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> sum("groups") == expectedTotal);

        compareEverything(byUser, byGroup, random);

        // the boards defined above started a backfill rebuild: the next one is accepted once it is done (409 before)
        String[] started = new String[1];
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            var result = post(ADMIN_KEY, "/v1/ops/projections/leaderboards/rebuild", "{}").expectBody().returnResult();
            if (result.getStatus().value() == 202) {
                started[0] = json(result.getResponseBodyContent()).get("id").asText();
                return true;
            }
            assertThat(result.getStatus().value()).isEqualTo(409);
            return false;
        });
        String id = started[0];
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "completed".equals(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + id, 200).get("status").asText()));
        compareEverything(byUser, byGroup, random);
    }

    private void compareEverything(Map<String, Long> byUser, Map<String, Long> byGroup, Random random) {
        compare("all-time", brute(byUser, false), random);
        compare("dense", brute(byUser, true), random);
        compare("groups", brute(byGroup, false), random);
    }

    /** Every page of 7, the rank of every member, and the neighbours of a few, against the brute force. */
    private void compare(String board, List<Row> expected, Random random) {
        List<Row> listed = new ArrayList<>();
        for (int offset = 0; offset < expected.size(); offset += 7) {
            JsonNode page = getJson(ADMIN_KEY, "/v1/leaderboards/" + board + "?limit=7&offset=" + offset, 200);
            assertThat(page.get("total").asInt()).isEqualTo(expected.size());
            for (JsonNode e : page.get("entries")) {
                listed.add(new Row(e.get("rank").asLong(), e.get("user_id").asText(), e.get("score").asLong()));
            }
        }
        assertThat(listed).as("board %s", board).containsExactlyElementsOf(expected);
        for (Row row : expected) {
            JsonNode rank = getJson(ADMIN_KEY, "/v1/leaderboards/" + board + "/users/" + row.member(), 200);
            assertThat(rank.get("rank").asLong()).as("%s on %s", row.member(), board).isEqualTo(row.rank());
            assertThat(rank.get("score").asLong()).isEqualTo(row.score());
        }
        // ascending: lowest first, equal scores in the same order as descending
        List<Row> ascending = new ArrayList<>(expected);
        ascending.sort(Comparator.comparingLong(Row::score).thenComparing(Row::member));
        JsonNode asc = getJson(ADMIN_KEY, "/v1/leaderboards/" + board + "?limit=1000&sort=asc", 200);
        assertThat(asc.get("entries").findValuesAsText("user_id"))
                .containsExactlyElementsOf(ascending.stream().map(Row::member).toList());
        for (int i = 0; i < 5; i++) {
            int at = random.nextInt(expected.size());
            int radius = 1 + random.nextInt(3);
            JsonNode around = getJson(ADMIN_KEY, "/v1/leaderboards/" + board + "/around/" + expected.get(at).member()
                    + "?radius=" + radius, 200);
            List<String> neighbours = expected.subList(Math.max(0, at - radius), Math.min(expected.size(), at + radius + 1))
                    .stream().map(Row::member).toList();
            assertThat(around.get("entries").findValuesAsText("user_id")).containsExactlyElementsOf(neighbours);
        }
    }

    /** Highest score first, equal scores by member id; competition ranks ("1224") or dense ("1223"). */
    private static List<Row> brute(Map<String, Long> scores, boolean dense) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(scores.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : sorted) {
            long ahead = dense ? scores.values().stream().filter(v -> v > e.getValue()).distinct().count()
                    : scores.values().stream().filter(v -> v > e.getValue()).count();
            rows.add(new Row(ahead + 1, e.getKey(), e.getValue()));
        }
        return rows;
    }

    private long sum(String board) {
        long sum = 0;
        for (JsonNode e : getJson(ADMIN_KEY, "/v1/leaderboards/" + board + "?limit=1000", 200).get("entries")) {
            sum += e.get("score").asLong();
        }
        return sum;
    }
}
