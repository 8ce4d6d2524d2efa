package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the OpenAPI check counts as typed, on small documents. */
class OpenApiSchemasTest {
    private static JsonNode doc(String paths) throws Exception {
        return new ObjectMapper().readTree("{\"paths\":" + paths + "}");
    }

    private static final String REF = "{\"schema\":{\"$ref\":\"#/components/schemas/Points\"}}";

    @Test
    void aJsonAnswerWithAComponentSchemaIsTyped() throws Exception {
        assertThat(OpenApiSchemas.lacking(doc("{\"/p\":{\"get\":{\"responses\":{\"200\":{\"content\":{\"*/*\":" + REF
                + "}}}}}}"))).isEmpty();
    }

    @Test
    void aMapAnswerIsNot() throws Exception {
        assertThat(OpenApiSchemas.lacking(doc("{\"/p\":{\"get\":{\"responses\":{\"200\":{\"content\":{\"*/*\":"
                + "{\"schema\":{\"type\":\"object\",\"additionalProperties\":{}}}}}}}}}"))).containsExactly("GET /p: answer");
        assertThat(OpenApiSchemas.lacking(doc("{\"/p\":{\"get\":{\"responses\":{\"200\":{\"content\":{\"application/json\":"
                + "{\"schema\":{\"$ref\":\"#/components/schemas/JsonNode\"}}}}}}}}"))).containsExactly("GET /p: answer");
    }

    @Test
    void aPostWithoutARequestSchemaLacksOneUnlessItTakesNoBody() throws Exception {
        String answer = "\"responses\":{\"200\":{\"content\":{\"*/*\":" + REF + "}}}";
        assertThat(OpenApiSchemas.lacking(doc("{\"/p\":{\"post\":{" + answer + "}}}"))).containsExactly("POST /p: request body");
        assertThat(OpenApiSchemas.lacking(doc("{\"/v1/redemptions/{id}/confirm\":{\"post\":{" + answer + "}}}"))).isEmpty();
        assertThat(OpenApiSchemas.lacking(doc("{\"/p\":{\"post\":{\"requestBody\":{\"content\":{\"application/json\":"
                + REF + "}}," + answer + "}}}"))).isEmpty();
    }

    @Test
    void namedMediaTypesAndEmptyAnswersAreDescribedByThemselves() throws Exception {
        assertThat(OpenApiSchemas.lacking(doc("{\"/c.svg\":{\"get\":{\"responses\":{\"200\":{\"content\":{\"image/svg+xml\":"
                + "{\"schema\":{\"type\":\"string\"}}}}}}}}"))).isEmpty();
        assertThat(OpenApiSchemas.lacking(doc("{\"/d\":{\"delete\":{\"responses\":{\"204\":{\"description\":\"gone\"}}}}}")))
                .isEmpty();
        assertThat(OpenApiSchemas.lacking(doc("{\"/h\":{\"post\":{\"requestBody\":{\"content\":"
                + "{\"application/x-www-form-urlencoded\":{}}},\"responses\":{\"200\":{\"content\":{\"*/*\":" + REF
                + "}}}}}}"))).isEmpty();
    }
}
