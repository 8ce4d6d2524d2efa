package io.laurel.ingest.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChallengesTest {

    private static JsonNode json(String s) {
        try {
            return LaurelJson.mapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> pointers(String body) {
        try {
            Challenges.validate(json(body));
        } catch (ProblemException e) {
            assertThat(e.status().value()).isEqualTo(422);
            return e.errors().stream().map(ProblemException.FieldError::pointer).toList();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void aChallengeIsNormalisedAndReadBack() {
        ObjectNode body = Challenges.validate(json("{\"name\":\"Starter\",\"ordered\":true,\"time_box\":\"P7D\","
                + "\"starts_at\":\"2026-03-01T00:00:00+01:00\",\"ends_at\":\"2026-04-01T00:00:00+02:00\",\"steps\":["
                + "{\"kind\":\"first\",\"event_type\":\"visit\",\"condition\":\"amount>3\"},"
                + "{\"id\":\"spend\",\"name\":\"Spend\",\"kind\":\"points\",\"threshold\":100,\"currency\":\"coins\","
                + "\"weight\":5},"
                + "{\"kind\":\"streak\",\"event_type\":\"visit\",\"threshold\":3,\"streak_unit\":\"week\"},"
                + "{\"kind\":\"badge\",\"badge_id\":\"regular\"}],"
                + "\"reward\":{\"points\":50,\"currency\":\"coins\",\"badge_id\":\"graduate\"}}"));
        ChallengeDefinition c = Challenges.toDefinition("acme", "starter", body, true, 3, Instant.EPOCH, Instant.EPOCH);
        assertThat(c.name()).isEqualTo("Starter");
        assertThat(c.ordered()).isTrue();
        assertThat(c.timeBoxDuration()).isEqualTo(Duration.ofDays(7));
        assertThat(c.startsAt()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(c.endsAt()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
        assertThat(c.steps()).extracting(ChallengeDefinition.Step::id).containsExactly("step-1", "spend", "step-3", "step-4");
        assertThat(c.steps().get(0).condition()).isEqualTo("amount>3");
        assertThat(c.steps().get(0).target()).isEqualTo(1);
        assertThat(c.steps().get(1).currency()).isEqualTo("coins");
        assertThat(c.steps().get(1).target()).isEqualTo(100);
        assertThat(c.steps().get(1).weight()).isEqualTo(5);
        assertThat(c.steps().get(0).weight()).isEqualTo(1);
        assertThat(c.percent(step -> step.id().equals("spend"))).isEqualTo(62); // 5 of 8, rounded down
        assertThat(c.steps().get(2).streakUnit()).isEqualTo("week");
        assertThat(c.steps().get(3).badgeId()).isEqualTo("regular");
        assertThat(c.rewardPoints()).isEqualTo(50);
        assertThat(c.rewardCurrency()).isEqualTo("coins");
        assertThat(c.rewardBadgeId()).isEqualTo("graduate");
        assertThat(c.version()).isEqualTo(3);
        com.fasterxml.jackson.databind.JsonNode view = io.laurel.events.json.LaurelJson.mapper().valueToTree(Challenges.view(c));
        assertThat(view.at("/reward/points").asLong()).isEqualTo(50);
        assertThat(view.has("reward_points")).isFalse();
        assertThat(view.at("/steps/2/streak_unit").asText()).isEqualTo("week");
        assertThat(view.get("kind").asText()).isEqualTo("challenge");
        assertThat(Challenges.eventTypes(body)).extracting(p -> p[0] + "=" + p[1])
                .containsExactly("/steps/0/event_type=visit", "/steps/2/event_type=visit");
        assertThat(Challenges.badges(body)).extracting(p -> p[0] + "=" + p[1])
                .containsExactly("/steps/3/badge_id=regular", "/reward/badge_id=graduate");
    }

    @Test
    void defaultsAreUnorderedNoWindowNoBoxAndNoReward() {
        ChallengeDefinition c = Challenges.toDefinition("acme", "c", Challenges.validate(json(
                "{\"steps\":[{\"kind\":\"points\",\"threshold\":10}]}")), true, 1, Instant.EPOCH, Instant.EPOCH);
        assertThat(c.name()).isEqualTo("c");
        assertThat(c.ordered()).isFalse();
        assertThat(c.startsAt()).isNull();
        assertThat(c.endsAt()).isNull();
        assertThat(c.timeBoxDuration()).isNull();
        assertThat(c.rewardPoints()).isNull();
        assertThat(c.rewardCurrency()).isEqualTo("points");
        assertThat(c.rewardBadgeId()).isNull();
        assertThat(c.steps().get(0).currency()).isEqualTo("points");
        assertThat(c.runsAt(Instant.parse("1999-01-01T00:00:00Z"))).isTrue();
    }

    @Test
    void eachBadFieldHasItsPointer() {
        assertThat(pointers("{\"steps\":[]}")).containsExactly("/steps");
        assertThat(pointers("{}")).containsExactly("/steps");
        assertThat(pointers("{\"steps\":\"all\"}")).containsExactly("/steps");
        assertThat(pointers("{\"name\":5,\"steps\":[{\"kind\":\"first\",\"event_type\":\"v\"}]}")).containsExactly("/name");
        assertThat(pointers("{\"image_url\":\"ftp://x\",\"steps\":[{\"kind\":\"first\",\"event_type\":\"v\"}]}"))
                .containsExactly("/image_url");
        assertThat(pointers("{\"steps\":[{\"kind\":\"count\",\"event_type\":\"v\",\"threshold\":0},"
                + "{\"kind\":\"points\",\"threshold\":1.5},{\"kind\":\"streak\",\"event_type\":\"v\",\"threshold\":2,"
                + "\"streak_unit\":\"month\"},{\"kind\":\"first\"},{\"kind\":\"badge\"},7,"
                + "{\"kind\":\"points\",\"threshold\":5,\"currency\":\"Gold Coins\"}]}"))
                .containsExactly("/steps/0/threshold", "/steps/1/threshold", "/steps/2/streak_unit",
                        "/steps/3/event_type", "/steps/4/badge_id", "/steps/5", "/steps/6/currency");
        assertThat(pointers("{\"steps\":[{\"id\":\"a\",\"kind\":\"first\",\"event_type\":\"v\"},"
                + "{\"id\":\"a\",\"kind\":\"first\",\"event_type\":\"v\"},{\"id\":\"no spaces\",\"kind\":\"first\","
                + "\"event_type\":\"v\"}]}")).containsExactly("/steps/1/id", "/steps/2/id");
        assertThat(pointers("{\"steps\":[{\"kind\":\"count\",\"event_type\":\"v\"}]}")).containsExactly("/steps/0/threshold");
        String one = "\"steps\":[{\"kind\":\"first\",\"event_type\":\"v\"}]";
        assertThat(pointers("{\"time_box\":\"PT0S\"," + one + "}")).containsExactly("/time_box");
        assertThat(pointers("{\"time_box\":\"P1M\"," + one + "}")).containsExactly("/time_box");
        assertThat(pointers("{\"starts_at\":\"2026-03-01\"," + one + "}")).containsExactly("/starts_at");
        assertThat(pointers("{\"starts_at\":\"2026-03-02T00:00:00Z\",\"ends_at\":\"2026-03-02T00:00:00Z\"," + one + "}"))
                .containsExactly("/ends_at");
        assertThat(pointers("{\"reward\":5," + one + "}")).containsExactly("/reward");
        assertThat(pointers("{\"reward\":{\"points\":0,\"currency\":\"\",\"badge_id\":7}," + one + "}"))
                .containsExactly("/reward/points", "/reward/currency", "/reward/badge_id");
        assertThat(pointers("{\"reward\":{\"points\":1000000001}," + one + "}")).containsExactly("/reward/points");
        assertThat(pointers("{\"ordered\":1," + one + "}")).containsExactly("/ordered");
        assertThat(pointers("{\"steps\":[{\"kind\":\"first\",\"event_type\":\"v\",\"weight\":0},"
                + "{\"kind\":\"first\",\"event_type\":\"v\",\"weight\":\"x\"}]}"))
                .containsExactly("/steps/0/weight", "/steps/1/weight");
        StringBuilder many = new StringBuilder("{\"steps\":[");
        for (int i = 0; i <= ChallengeDefinition.MAX_STEPS; i++) {
            many.append(i == 0 ? "" : ",").append("{\"kind\":\"first\",\"event_type\":\"v\"}");
        }
        assertThat(pointers(many.append("]}").toString())).containsExactly("/steps");
    }

    @Test
    void theIdIsChecked() {
        assertThat(Challenges.id(json("{\"id\":\"spring-2026\"}"))).isEqualTo("spring-2026");
        for (String bad : List.of("{}", "{\"id\":7}", "{\"id\":\"\"}", "{\"id\":\"a b\"}", "{\"id\":\"-x\"}",
                "{\"id\":\"" + "x".repeat(64) + "\"}")) {
            assertThatThrownBy(() -> Challenges.id(json(bad))).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).errors()).extracting(ProblemException.FieldError::pointer)
                            .containsExactly("/id"));
        }
        assertThatThrownBy(() -> Challenges.validate(json("[1]"))).isInstanceOf(ProblemException.class);
    }
}
