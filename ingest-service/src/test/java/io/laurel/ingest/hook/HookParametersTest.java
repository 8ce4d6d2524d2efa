package io.laurel.ingest.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HookParametersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode SCHEMA = read("""
            {"type":"object","properties":{"score":{"type":"integer"},"grade":{"type":"number"},
             "passed":{"type":"boolean"},"course":{"type":"string"},"either":{"type":["null","integer"]}}}""");

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode envelope(Map<String, List<String>> params) {
        return HookParameters.toEnvelope("course_completed", params, SCHEMA);
    }

    private static Map<String, List<String>> params(String... pairs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return m;
    }

    @Test
    void envelopeFieldsKeepTheirNamesAndTheRestBecomesEventData() {
        ObjectNode e = envelope(params("user_id", "learner@example.com", "course", "Java 101", "idempotence_key", "gc-1",
                "occurred_at", "2026-05-01T10:00:00Z", "event_action", "create"));
        assertThat(e.get("event_type").asText()).isEqualTo("course_completed");
        assertThat(e.get("user_id").asText()).isEqualTo("learner@example.com");
        assertThat(e.get("idempotence_key").asText()).isEqualTo("gc-1");
        assertThat(e.get("occurred_at").asText()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(e.get("event_action").asText()).isEqualTo("create");
        assertThat(e.get("event_data")).isEqualTo(read("{\"course\":\"Java 101\"}"));
    }

    @Test
    void waitWaitMsAndAResultBesideWaitSayHowToAnswerAndAreNoEventData() {
        JsonNode data = envelope(params("user_id", "u", "course", "Java", "wait", "badges", "wait_ms", "3000",
                "result", "link")).get("event_data");
        assertThat(data.has("wait")).isFalse();
        assertThat(data.has("wait_ms")).isFalse();
        assertThat(data.has("result")).isFalse();
        assertThat(data.get("course").asText()).isEqualTo("Java");
        // without wait, "result" is the event's own field (a quiz result, say)
        assertThat(envelope(params("user_id", "u", "result", "passed")).at("/event_data/result").asText())
                .isEqualTo("passed");
    }

    @Test
    void theKeyNeverReachesTheEvent() {
        ObjectNode e = envelope(params("key", "lrl_secret", "user_id", "u"));
        assertThat(e.toString()).doesNotContain("lrl_secret");
    }

    @Test
    void valuesAreConvertedToTheTypesTheSchemaNames() {
        JsonNode data = envelope(params("user_id", "u", "score", "87", "grade", "4.5", "passed", "yes",
                "either", "3")).get("event_data");
        assertThat(data.get("score").isIntegralNumber()).isTrue();
        assertThat(data.get("score").asLong()).isEqualTo(87);
        assertThat(data.get("grade").decimalValue()).isEqualByComparingTo("4.5");
        assertThat(data.get("passed").asBoolean()).isTrue();
        assertThat(data.get("either").asInt()).isEqualTo(3);
    }

    @Test
    void integralDecimalsBecomeIntegers() {
        assertThat(envelope(params("score", "87.0")).at("/event_data/score").isIntegralNumber()).isTrue();
    }

    @Test
    void valuesThatDoNotConvertStayStringsForTheValidatorToReport() {
        JsonNode data = envelope(params("score", "eighty", "grade", "4,5", "passed", "maybe", "score2", "1"))
                .get("event_data");
        assertThat(data.get("score").isTextual()).isTrue();
        assertThat(data.get("grade").isTextual()).isTrue();
        assertThat(data.get("passed").isTextual()).isTrue();
        assertThat(envelope(params("score", "1.5")).at("/event_data/score").isTextual()).isTrue();
    }

    @Test
    void propertiesTheSchemaDoesNotNameStayStrings() {
        assertThat(envelope(params("score2", "1")).at("/event_data/score2").isTextual()).isTrue();
        JsonNode unknownType = HookParameters.toEnvelope("t", params("n", "1"), null);
        assertThat(unknownType.at("/event_data/n").asText()).isEqualTo("1");
    }

    @Test
    void booleansAcceptTheUsualSpellings() {
        for (String t : List.of("true", "TRUE", "1", "on", "yes")) {
            assertThat(envelope(params("passed", t)).at("/event_data/passed").asBoolean()).as(t).isTrue();
        }
        for (String f : List.of("false", "0", "off", "no")) {
            assertThat(envelope(params("passed", f)).at("/event_data/passed").isBoolean()).as(f).isTrue();
            assertThat(envelope(params("passed", f)).at("/event_data/passed").asBoolean()).as(f).isFalse();
        }
    }

    @Test
    void groupsMayBeRepeatedOrCommaSeparated() {
        ObjectNode e = envelope(params("groups", "a,b", "groups", "c", "groups", " ,"));
        assertThat(e.get("groups")).isEqualTo(read("[\"a\",\"b\",\"c\"]"));
    }

    @Test
    void theFirstValueOfARepeatedFieldWins() {
        assertThat(envelope(params("course", "first", "course", "second")).at("/event_data/course").asText())
                .isEqualTo("first");
    }
}
