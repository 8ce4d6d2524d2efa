package io.laurel.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.JsonSerde;
import io.laurel.events.json.LaurelJson;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** laurel.achievements carries the same JSON as before the records: every field, absent ones as null, kind second. */
class AchievementTest {
    private final JsonSerde<Achievement> serde = new io.laurel.events.topic.TopicRegistry().achievements().valueSerde();
    private static final Instant AT = Instant.parse("2026-03-01T10:15:30.250Z");

    private String json(Achievement a) {
        return new String(serde.serialize("t", a), StandardCharsets.UTF_8);
    }

    @Test
    void aBadgeAwardIsWrittenAsItAlwaysWas() {
        Achievement a = new Achievement.BadgeAwarded("a1", "acme", "ann", "first-sale", "First sale", 2, 1, AT, null,
                "e1", "granted");
        assertThat(json(a)).isEqualTo("{\"award_id\":\"a1\",\"kind\":\"badge_awarded\",\"tenant\":\"acme\",\"user_id\":\"ann\","
                + "\"badge_id\":\"first-sale\",\"badge_name\":\"First sale\",\"badge_version\":2,\"count\":1,"
                + "\"awarded_at\":\"2026-03-01T10:15:30.250Z\",\"expires_at\":null,\"source\":\"e1\",\"reason\":\"granted\"}");
        assertThat(serde.deserialize("t", serde.serialize("t", a))).isEqualTo(a);
    }

    @Test
    void everyKindReadsBackAsItsOwnRecord() throws Exception {
        Achievement[] all = {
                new Achievement.LevelReached("l1", "acme", "ann", "ranks", 3, "Gold", 500, AT, "entry-1"),
                new Achievement.ChallengeProgressed("c1", "acme", "ann", "onboarding", "Onboarding", 1, "s1", 1, 3, 1, AT, "e2"),
                new Achievement.ChallengeCompleted("c2", "acme", "ann", "onboarding", "Onboarding", 1, null, 3, 3, 1, AT, "e3"),
                new Achievement.FeatureUnlocked("f1", "acme", "ann", "dark-mode", "Dark mode", AT, "a1")};
        for (Achievement a : all) {
            Achievement back = serde.deserialize("t", serde.serialize("t", a));
            assertThat(back).isEqualTo(a).isExactlyInstanceOf(a.getClass());
            assertThat(LaurelJson.mapper().readTree(json(a)).get("kind").asText()).isEqualTo(a.kind());
            assertThat(a.complete()).isTrue();
            assertThat(a.key()).isEqualTo("acme/ann");
        }
        JsonNode completed = LaurelJson.mapper().readTree(json(all[2]));
        assertThat(completed.has("step_id")).isTrue();
        assertThat(completed.get("step_id").isNull()).isTrue();
    }

    @Test
    void aRecordOfAnUnknownKindOrNotJsonIsRefused() {
        assertThatThrownBy(() -> serde.deserialize("t", "{\"award_id\":\"x\",\"kind\":\"trophy\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserialize("t", "{\"award_id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserialize("t", "nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void oneWithoutItsUserOrTimeIsIncomplete() {
        Achievement a = serde.deserialize("t", ("{\"award_id\":\"x\",\"kind\":\"level_reached\",\"tenant\":\"acme\","
                + "\"level\":1}").getBytes(StandardCharsets.UTF_8));
        assertThat(a).isInstanceOf(Achievement.LevelReached.class);
        assertThat(a.complete()).isFalse();
    }

    @Test
    void unknownFieldsOfANewerProducerAreTolerated() {
        Achievement a = serde.deserialize("t", ("{\"award_id\":\"x\",\"kind\":\"feature_unlocked\",\"tenant\":\"acme\","
                + "\"user_id\":\"u\",\"feature_id\":\"f\",\"awarded_at\":\"2026-03-01T10:15:30.250Z\",\"colour\":\"red\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(a).isEqualTo(new Achievement.FeatureUnlocked("x", "acme", "u", "f", null, AT, null));
    }
}
