package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Features (the GMFY SDK's unlocks) against the real broker and PostgreSQL: each unlock kind (points of a currency, a
 * badge, a level, a completed challenge, by hand) unlocks once, at the time of the input that crossed the line; each
 * unlock is announced once as a {@code feature_unlocked} achievement; a rebuild of the badge projection unlocks the
 * same at the same times and announces nothing again.
 */
class FeaturesIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        register(registry, FeaturesIT.class);
    }

    private static final String T1 = "2026-06-01T08:00:00Z", T2 = "2026-06-01T09:00:00Z", T3 = "2026-06-01T10:00:00Z",
            T4 = "2026-06-01T11:00:00Z";

    private void lesson(String user, String at) {
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"lesson\",\"user_id\":\"" + user + "\",\"occurred_at\":\""
                + at + "\"}", 202);
    }

    private Map<String, String> features(String user) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode f : getJson(ADMIN_KEY, "/v1/users/" + user + "/features", 200).get("features")) {
            out.put(f.get("feature_id").asText(), f.get("unlocked_at").asText());
        }
        return out;
    }

    private static List<JsonNode> unlocks(TestEnvironment env) {
        return topicRecords(env, env.topics().achievements().name()).stream()
                .filter(a -> a.path("kind").asText().equals("feature_unlocked")).toList();
    }

    @Test
    void eachUnlockKindUnlocksOnceAtTheInputThatCrossedItsLineAndARebuildKeepsThem() {
        TestEnvironment env = LaurelTestInfra.forClass(FeaturesIT.class);
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"lesson\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"lesson\",\"event_type\":\"lesson\",\"points\":10}", 201);
        postJson(ADMIN_KEY, "/v1/admin/levels", "{\"id\":\"ranks\",\"levels\":[{\"number\":1,\"name\":\"Bronze\","
                + "\"threshold\":20},{\"number\":2,\"name\":\"Silver\",\"threshold\":40}]}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"first-lesson\",\"kind\":\"first\",\"event_type\":\"lesson\"}",
                201);
        postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"starter\",\"name\":\"Starter\",\"steps\":[{\"kind\":"
                + "\"count\",\"event_type\":\"lesson\",\"threshold\":3}]}", 201);
        JsonNode p30 = postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"p30\",\"name\":\"Dark mode\",\"unlock\":"
                + "{\"kind\":\"points\",\"threshold\":30}}", 201);
        assertThat(p30.at("/unlock/currency").asText()).isEqualTo("points");
        assertThat(p30.get("version").asInt()).isEqualTo(1);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"badge\",\"name\":\"Avatar\",\"unlock\":{\"kind\":\"badge\","
                + "\"badge_id\":\"first-lesson\"}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"silver\",\"name\":\"Forum\",\"unlock\":{\"kind\":\"level\","
                + "\"level_set\":\"ranks\",\"level\":2}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"starter\",\"name\":\"Quests\",\"unlock\":{\"kind\":"
                + "\"challenge\",\"challenge_id\":\"starter\"}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"vip\",\"name\":\"VIP lounge\",\"unlock\":{\"kind\":"
                + "\"manual\"}}", 201);
        assertThat(getJson(ADMIN_KEY, "/v1/admin/features", 200).get("features").findValuesAsText("id"))
                .containsExactly("badge", "p30", "silver", "starter", "vip");

        lesson("ann", T1);
        lesson("ann", T2);
        lesson("ann", T3);
        lesson("ann", T4);
        lesson("bob", T1);
        await().atMost(Duration.ofSeconds(60)).until(() -> features("ann").size() == 4 && features("bob").size() == 1);
        Map<String, String> ann = features("ann");
        assertThat(ann).containsExactlyInAnyOrderEntriesOf(Map.of("badge", T1, "p30", T3, "starter", T3, "silver", T4));
        assertThat(features("bob")).containsOnlyKeys("badge");
        JsonNode listed = getJson(ADMIN_KEY, "/v1/users/ann/features", 200).get("features");
        assertThat(listed.findValuesAsText("feature_id")).containsExactly("badge", "p30", "starter", "silver");
        assertThat(listed.get(0).get("name").asText()).isEqualTo("Avatar");

        // by hand: once
        JsonNode granted = postJson(ADMIN_KEY, "/v1/features/vip/grants", "{\"user_id\":\"ann\"}", 201);
        assertThat(granted.get("unlocked").asBoolean()).isTrue();
        assertThat(postJson(ADMIN_KEY, "/v1/features/vip/grants", "{\"user_id\":\"ann\"}", 200).get("unlocked")
                .asBoolean()).isFalse();
        assertThat(postJson(ADMIN_KEY, "/v1/features/p30/grants", "{\"user_id\":\"ann\"}", 409).get("code").asText())
                .isEqualTo("FEATURE_NOT_MANUAL");
        assertThat(postJson(ADMIN_KEY, "/v1/features/nope/grants", "{\"user_id\":\"ann\"}", 404).get("code").asText())
                .isEqualTo("FEATURE_NOT_FOUND");
        assertThat(postJson(ADMIN_KEY, "/v1/features/vip/grants", "{\"user_id\":7}", 422).get("errors")
                .findValuesAsText("pointer")).containsExactly("/user_id");
        postJson(ADMIN_KEY, "/v1/features/vip/grants", "{\"user_id\":", 400);
        assertThat(getJson(ADMIN_KEY, "/v1/users/ann", 200).get("features").findValuesAsText("feature_id"))
                .containsExactly("badge", "p30", "starter", "silver", "vip");

        // announced once each, as feature_unlocked (notifications and webhooks follow them)
        await().atMost(Duration.ofSeconds(30)).until(() -> unlocks(env).size() == 6);
        assertThat(unlocks(env)).extracting(a -> a.get("user_id").asText() + ":" + a.get("feature_id").asText())
                .containsExactlyInAnyOrder("ann:badge", "ann:p30", "ann:starter", "ann:silver", "ann:vip", "bob:badge");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode n = getJson(ADMIN_KEY, "/v1/notifications?user_id=ann", 200).get("notifications");
            List<String> kinds = new java.util.ArrayList<>();
            n.forEach(one -> kinds.add(one.get("kind").asText()));
            assertThat(kinds).as("%s", n).filteredOn("feature_unlocked"::equals).hasSize(5);
        });
        // webhooks may subscribe to them (the loopback target is refused here, the kind is not)
        assertThat(postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\",\"kinds\":"
                + "[\"feature_unlocked\",\"no_such_kind\"]}", 422).get("errors").findValuesAsText("pointer"))
                .containsExactly("/kinds/1");

        // a rebuild: the same unlocks at the same times, nothing announced again
        Map<String, String> before = features("ann");
        String rebuild = postJson(ADMIN_KEY, "/v1/ops/projections/badges/rebuild", "{}", 202).get("id").asText();
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "completed".equals(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + rebuild, 200).get("status").asText()));
        assertThat(features("ann")).isEqualTo(before);
        assertThat(features("bob")).containsOnlyKeys("badge");
        lesson("cy", T1);
        await().atMost(Duration.ofSeconds(60)).until(() -> features("cy").size() == 1);
        assertThat(unlocks(env)).hasSize(7);
    }

    @Test
    void badFeatureDefinitionsAreRefusedWithAPointer() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        assertThat(pointers(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f1\",\"unlock\":{\"kind\":\"badge\","
                + "\"badge_id\":\"missing\"}}", 422))).containsExactly("/unlock/badge_id");
        assertThat(pointers(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f2\",\"unlock\":{\"kind\":\"points\"}}",
                422))).containsExactly("/unlock/threshold");
        assertThat(pointers(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f3\",\"unlock\":{\"kind\":\"karma\"}}",
                422))).containsExactly("/unlock/kind");
        assertThat(pointers(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f4\"}", 422))).containsExactly("/unlock");
        assertThat(pointers(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f5\",\"unlock\":{\"kind\":\"level\","
                + "\"level_set\":\"none\",\"level\":\"two\"}}", 422))).containsExactlyInAnyOrder("/unlock/level_set", "/unlock/level");
        assertThat(pointers(postJson(ADMIN_KEY, "/v1/admin/features", "{\"unlock\":{\"kind\":\"manual\"}}", 422)))
                .containsExactly("/id");
        postJson(ADMIN_KEY, "/v1/admin/features", "[", 400);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f6\",\"unlock\":{\"kind\":\"manual\"}}", 201);
        assertThat(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f6\",\"unlock\":{\"kind\":\"manual\"}}", 409)
                .get("code").asText()).isEqualTo("FEATURE_EXISTS");
        // another tenant sees none of them and cannot grant them
        String other = tenantWithKey("features-other", List.of("catalog:read", "badges:write", "badges:read"));
        getJson(other, "/v1/admin/features/f6", 404);
        postJson(other, "/v1/features/f6/grants", "{\"user_id\":\"ann\"}", 404);
        assertThat(getJson(other, "/v1/users/ann/features", 200).get("features")).isEmpty();
    }

    private static List<String> pointers(JsonNode problem) {
        return problem.get("errors").findValuesAsText("pointer");
    }
}
