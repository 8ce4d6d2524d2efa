package io.laurel.ingest.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.EventTypeDefinition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks event_data validation against the draft-7 cases of the official JSON Schema Test Suite, copied into
 * the test resources ({@code conformance/}, see its README). Each group's schema is declared as
 * Laurel declares it, under {@code event_data.v} (an event_data schema is always an object schema), and
 * each case is validated as {@code {"v": data}}.
 */
class JsonSchemaConformanceTest {
    private static final String SUITE = "/conformance/json-schema-draft7.json";
    private static final int CASES = 714;
    private static final int GROUPS = 191;
    /**
     * Measured: all 714 cases agree (integral decimals are handed to everit as integers, and integers
     * that fit an int as Integer, which everit requires for minLength, maxItems and the like).
     */
    private static final int MIN_AGREEMENT = 714;

    private static JsonNode suite() throws IOException {
        try (InputStream in = JsonSchemaConformanceTest.class.getResourceAsStream(SUITE)) {
            assertThat(in).as("test resource %s", SUITE).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private record Outcome(int cases, int groups, int agreed, List<String> refusedSchemas, List<String> wrongVerdicts) {
    }

    private static Outcome run(JsonNode suite) {
        CompiledSchemas schemas = new CompiledSchemas();
        int cases = 0;
        int groups = 0;
        int agreed = 0;
        List<String> refused = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (JsonNode group : suite.get("groups")) {
            groups++;
            String name = group.get("file").asText() + ": " + group.get("description").asText();
            ObjectNode wrapped = JsonNodeFactory.instance.objectNode().put("type", "object");
            wrapped.putObject("properties").set("v", group.get("schema"));
            wrapped.putArray("required").add("v");
            EventTypeDefinition type = new EventTypeDefinition("conformance", "group-" + groups, "group-" + groups,
                    name, false, wrapped, 1, Instant.EPOCH, Instant.EPOCH);
            for (JsonNode test : group.get("tests")) {
                cases++;
                String caseName = name + " / " + test.get("description").asText();
                boolean expected = test.get("valid").asBoolean();
                ObjectNode data = JsonNodeFactory.instance.objectNode();
                data.set("v", test.get("data"));
                try {
                    boolean valid = schemas.validate(type, data).isEmpty();
                    if (valid == expected) {
                        agreed++;
                    } else {
                        wrong.add(caseName + ": expected valid=" + expected);
                    }
                } catch (InvalidSchemaException e) {
                    refused.add(caseName + ": schema refused: " + e.getMessage());
                }
            }
        }
        return new Outcome(cases, groups, agreed, refused, wrong);
    }

    @Test
    void validationAgreesWithTheOfficialDraft7Suite() throws IOException {
        Outcome outcome = run(suite());

        assertThat(outcome.cases()).as("cases in the suite").isEqualTo(CASES);
        assertThat(outcome.groups()).as("groups in the suite").isEqualTo(GROUPS);
        assertThat(outcome.agreed())
                .as("cases agreeing with the suite; refused schemas:%n%s%nwrong verdicts:%n%s",
                        String.join("\n", outcome.refusedSchemas()), String.join("\n", outcome.wrongVerdicts()))
                .isGreaterThanOrEqualTo(MIN_AGREEMENT);
    }

    @Test
    void everySchemaThatCompilesGivesTheSuitesVerdict() throws IOException {
        Outcome outcome = run(suite());

        // Integral decimals (1.0 as an integer, [0.0] equal to [0]) included: no compiled schema disagrees.
        assertThat(outcome.wrongVerdicts()).isEmpty();
        assertThat(outcome.agreed() + outcome.refusedSchemas().size()).isEqualTo(outcome.cases());
    }
}
