package io.laurel.ingest.eventtype;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.laurel.events.catalog.EventTypeDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompiledSchemasTest {
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2026-02-01T00:00:00Z");
    private static final String PURCHASE = "{'type':'object','required':['amount'],"
            + "'properties':{'amount':{'type':'number','minimum':0},'currency':{'type':'string'}}}";

    private final CompiledSchemas schemas = new CompiledSchemas();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static EventTypeDefinition type(String tenant, String name, String schema, int version, Instant updatedAt) {
        return new EventTypeDefinition(tenant, "id-" + name, name, null, false, json(schema), version, T1, updatedAt);
    }

    private static EventTypeDefinition type(String schema) {
        return type("acme", "purchase", schema, 1, T1);
    }

    private List<String> pointers(EventTypeDefinition type, String data) {
        return schemas.validate(type, json(data)).stream().map(CompiledSchemas.Violation::pointer).toList();
    }

    private static InvalidSchemaException refused(String schema) {
        try {
            CompiledSchemas.compile(json(schema));
        } catch (InvalidSchemaException e) {
            return e;
        }
        throw new AssertionError("expected the schema to be refused: " + schema);
    }

    @Test
    void compilesAValidSchema() {
        assertThat(CompiledSchemas.compile(json(PURCHASE))).isNotNull();
    }

    @Test
    void compilesTheEmptySchema() {
        assertThat(CompiledSchemas.compile(json("{}"))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{'type':12}",
            "{'type':'money'}",
            "{'minimum':'a'}",
            "{'maxLength':'two'}",
            "{'required':'amount'}",
            "{'properties':{'a':12}}",
            "{'pattern':'(unclosed'}",
            "{'enum':'notAnArray'}"})
    void compileRefusesAnInvalidSchema(String schema) {
        assertThat(refused(schema)).isInstanceOf(InvalidSchemaException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "'object'", "12", "true", "null"})
    void compileRefusesASchemaThatIsNotAnObject(String schema) {
        InvalidSchemaException e = refused(schema);

        assertThat(e.pointer()).isEmpty();
        assertThat(e.getMessage()).contains("JSON object");
    }

    @Test
    void validateAcceptsMatchingData() {
        assertThat(schemas.validate(type(PURCHASE), json("{'amount':12.5,'currency':'EUR'}"))).isEmpty();
        assertThat(schemas.validate(type(PURCHASE), json("{'amount':0}"))).isEmpty();
    }

    @Test
    void validateReportsAWrongTypeAtItsPointer() {
        List<CompiledSchemas.Violation> violations = schemas.validate(type(PURCHASE), json("{'amount':'ten'}"));

        assertThat(violations).extracting(CompiledSchemas.Violation::pointer).containsExactly("/amount");
        assertThat(violations.get(0).message()).isNotBlank();
    }

    @Test
    void validateReportsAMissingRequiredFieldAtItsPointer() {
        List<CompiledSchemas.Violation> violations = schemas.validate(type(PURCHASE), json("{'currency':'EUR'}"));

        assertThat(violations).extracting(CompiledSchemas.Violation::pointer).containsExactly("/amount");
        assertThat(violations.get(0).message()).contains("amount");
    }

    @Test
    void validateReportsEveryViolation() {
        assertThat(pointers(type(PURCHASE), "{'amount':-1,'currency':5}"))
                .containsExactlyInAnyOrder("/amount", "/currency");
    }

    @Test
    void validateReportsEveryMissingRequiredField() {
        EventTypeDefinition type = type("{'type':'object','required':['a','b']}");

        assertThat(pointers(type, "{}")).containsExactlyInAnyOrder("/a", "/b");
    }

    @Test
    void validatePointsIntoNestedObjectsAndArrays() {
        EventTypeDefinition type = type("{'type':'object','properties':{"
                + "'address':{'type':'object','properties':{'zip':{'type':'string'}}},"
                + "'items':{'type':'array','items':{'type':'integer'}}}}");

        assertThat(pointers(type, "{'address':{'zip':75001},'items':[1,2,'x']}"))
                .containsExactlyInAnyOrder("/address/zip", "/items/2");
    }

    @Test
    void missingRequiredFieldNameIsEscapedInItsPointer() {
        EventTypeDefinition type = type("{'type':'object','required':['a/b','c~d']}");

        assertThat(pointers(type, "{}")).containsExactlyInAnyOrder("/a~1b", "/c~0d");
    }

    @Test
    void violationOfTheWholeObjectHasTheRootPointer() {
        EventTypeDefinition type = type("{'type':'object','not':{'required':['a']}}");

        assertThat(pointers(type, "{'a':1}")).containsExactly("");
    }

    @Test
    void additionalPropertiesCanBeForbidden() {
        EventTypeDefinition type = type("{'type':'object','properties':{'a':{}},'additionalProperties':false}");

        assertThat(pointers(type, "{'a':1}")).isEmpty();
        assertThat(pointers(type, "{'a':1,'b':2}")).hasSize(1);
    }

    @Test
    void dataThatIsNotAnObjectFailsAnObjectSchema() {
        assertThat(pointers(type("{'type':'object'}"), "'text'")).containsExactly("");
        assertThat(pointers(type("{'type':'object'}"), "[1]")).containsExactly("");
    }

    @Test
    void integralDecimalCountsAsAnInteger() {
        EventTypeDefinition type = type("{'type':'integer'}");

        assertThat(pointers(type, "1.0")).isEmpty();
        assertThat(pointers(type, "-3.000")).isEmpty();
        assertThat(pointers(type, "0.0")).isEmpty();
        assertThat(pointers(type, "1")).isEmpty();
    }

    @Test
    void fractionalDecimalIsNotAnInteger() {
        EventTypeDefinition type = type("{'type':'integer'}");

        assertThat(pointers(type, "1.5")).hasSize(1);
        assertThat(pointers(type, "0.1")).hasSize(1);
    }

    @Test
    void integralDecimalPropertyCountsAsAnInteger() {
        EventTypeDefinition type = type("{'type':'object','properties':{'quantity':{'type':'integer'}}}");

        assertThat(pointers(type, "{'quantity':2.0}")).isEmpty();
        assertThat(pointers(type, "{'quantity':2.5}")).containsExactly("/quantity");
    }

    @Test
    void largeIntegralNumbersCountAsIntegers() {
        EventTypeDefinition type = type("{'type':'integer'}");

        assertThat(pointers(type, "1e20")).isEmpty();
        assertThat(pointers(type, "123456789012345678901234567890")).isEmpty();
    }

    @Test
    void integralDecimalEqualsTheIntegerInEnum() {
        EventTypeDefinition type = type("{'enum':[[0],1]}");

        assertThat(pointers(type, "[0.0]")).isEmpty();
        assertThat(pointers(type, "1.0")).isEmpty();
        assertThat(pointers(type, "2.0")).hasSize(1);
    }

    @Test
    void decimalMinimumIsKept() {
        EventTypeDefinition type = type("{'minimum':1.5}");

        assertThat(pointers(type, "1.5")).isEmpty();
        assertThat(pointers(type, "1.4")).hasSize(1);
    }

    @Test
    void newVersionOfATypeIsRecompiled() {
        EventTypeDefinition v1 = type("acme", "purchase", "{'properties':{'amount':{'type':'number'}}}", 1, T1);
        EventTypeDefinition v2 = type("acme", "purchase", "{'properties':{'amount':{'type':'string'}}}", 2, T2);

        assertThat(pointers(v1, "{'amount':5}")).isEmpty();
        assertThat(pointers(v2, "{'amount':5}")).containsExactly("/amount");
        assertThat(pointers(v2, "{'amount':'five'}")).isEmpty();
    }

    @Test
    void newUpdateOfTheSameVersionIsRecompiled() {
        EventTypeDefinition first = type("acme", "purchase", "{'required':['amount']}", 1, T1);
        EventTypeDefinition updated = type("acme", "purchase", "{'required':['price']}", 1, T2);

        assertThat(pointers(first, "{'amount':1}")).isEmpty();
        assertThat(pointers(updated, "{'amount':1}")).containsExactly("/price");
    }

    @Test
    void newVersionWithTheSameUpdateTimeIsRecompiled() {
        EventTypeDefinition v1 = type("acme", "purchase", "{'required':['amount']}", 1, T1);
        EventTypeDefinition v2 = type("acme", "purchase", "{'required':['price']}", 2, T1);

        assertThat(pointers(v1, "{'amount':1}")).isEmpty();
        assertThat(pointers(v2, "{'amount':1}")).containsExactly("/price");
    }

    @Test
    void sameVersionIsValidatedRepeatedly() {
        EventTypeDefinition v1 = type(PURCHASE);

        for (int i = 0; i < 3; i++) {
            assertThat(pointers(v1, "{'amount':1}")).isEmpty();
            assertThat(pointers(v1, "{}")).containsExactly("/amount");
        }
    }

    @Test
    void sameTypeNameInTwoTenantsKeepsTwoSchemas() {
        EventTypeDefinition acme = type("acme", "purchase", "{'required':['amount']}", 1, T1);
        EventTypeDefinition globex = type("globex", "purchase", "{'required':['price']}", 1, T1);

        assertThat(pointers(acme, "{'amount':1}")).isEmpty();
        assertThat(pointers(globex, "{'amount':1}")).containsExactly("/price");
        assertThat(pointers(acme, "{'amount':1}")).isEmpty();
    }

    @Test
    void twoTypesOfOneTenantKeepTwoSchemas() {
        EventTypeDefinition purchase = type("acme", "purchase", "{'required':['amount']}", 1, T1);
        EventTypeDefinition login = type("acme", "login", "{'required':['device']}", 1, T1);

        assertThat(pointers(purchase, "{'amount':1}")).isEmpty();
        assertThat(pointers(login, "{'amount':1}")).containsExactly("/device");
        assertThat(pointers(purchase, "{'amount':1}")).isEmpty();
    }

    @Test
    void typeWithoutUpdateTimeValidates() {
        EventTypeDefinition type = type("acme", "purchase", PURCHASE, 1, null);

        assertThat(pointers(type, "{'amount':1}")).isEmpty();
        assertThat(pointers(type, "{}")).containsExactly("/amount");
    }

    @Test
    void validateWithAnUnusableSchemaIsRefused() {
        assertThatThrownBy(() -> schemas.validate(type("{'type':12}"), json("{}")))
                .isInstanceOf(InvalidSchemaException.class);
    }

    @Test
    void nullDataIsValidatedAsJsonNull() {
        assertThat(schemas.validate(type("{'type':'null'}"), null)).isEmpty();
        assertThat(schemas.validate(type("acme", "other", "{'type':'object'}", 1, T1), null)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"minLength", "maxLength", "minItems", "maxItems",
            "minProperties", "maxProperties"})
    void integerKeywordsCompileWhetherWrittenAsIntegersOrDecimals(String keyword) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(CompiledSchemas.compile(m.readTree("{\"" + keyword + "\": 2}"))).isNotNull();
        assertThat(CompiledSchemas.compile(m.readTree("{\"" + keyword + "\": 2.0}"))).isNotNull();
    }

    @Test
    void maxLengthWrittenAsADecimalIsEnforced() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        org.everit.json.schema.Schema schema = CompiledSchemas.compile(
                m.readTree("{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"maxLength\":2.0}}}"));
        schema.validate(CompiledSchemas.toOrgJson(m.readTree("{\"code\":\"ab\"}")));
        assertThatThrownBy(() ->
                schema.validate(CompiledSchemas.toOrgJson(m.readTree("{\"code\":\"abc\"}"))))
                .isInstanceOf(org.everit.json.schema.ValidationException.class);
    }
}
