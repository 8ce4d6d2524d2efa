package io.laurel.ingest.eventtype;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaFormsTest {
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static InvalidSchemaException invalid(JsonNode declared) {
        try {
            SchemaForms.toJsonSchema(declared);
        } catch (InvalidSchemaException e) {
            return e;
        }
        throw new AssertionError("expected the schema to be refused: " + declared);
    }

    @Test
    void shortFormBecomesJsonSchemaWithTypeObjectAndPropertyObjects() {
        ObjectNode schema = SchemaForms.toJsonSchema(json(
                "{'required':['amount'],'properties':{'amount':'number','currency':'string'}}"));

        assertThat(schema).isEqualTo(json("{'type':'object','required':['amount'],"
                + "'properties':{'amount':{'type':'number'},'currency':{'type':'string'}}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"string", "number", "integer", "boolean", "object", "array", "null"})
    void everyJsonSchemaTypeNameIsAShortFormType(String type) {
        ObjectNode schema = SchemaForms.toJsonSchema(json("{'properties':{'x':'" + type + "'}}"));

        assertThat(schema.at("/properties/x")).isEqualTo(json("{'type':'" + type + "'}"));
    }

    @Test
    void shortFormKeepsThePropertyOrder() {
        ObjectNode schema = SchemaForms.toJsonSchema(json("{'properties':{'b':'string','a':'number','c':'boolean'}}"));

        assertThat(schema.get("properties").fieldNames()).toIterable().containsExactly("b", "a", "c");
    }

    @Test
    void shortFormResultCompilesAndValidates() {
        ObjectNode schema = SchemaForms.toJsonSchema(json(
                "{'required':['amount'],'properties':{'amount':'number','currency':'string'}}"));

        assertThat(CompiledSchemas.compile(schema)).isNotNull();
    }

    @Test
    void fullJsonSchemaPassesUnchanged() {
        JsonNode full = json("{'$schema':'http://json-schema.org/draft-07/schema#','type':'object',"
                + "'required':['amount'],'additionalProperties':false,"
                + "'properties':{'amount':{'type':'number','minimum':0},'currency':{'type':'string','enum':['EUR','USD']},"
                + "'items':{'type':'array','items':{'type':'string'}}}}");

        assertThat(SchemaForms.toJsonSchema(full)).isEqualTo(full);
    }

    @Test
    void fullSchemaWithoutPropertiesPassesUnchanged() {
        JsonNode full = json("{'type':'object','minProperties':1}");

        assertThat(SchemaForms.toJsonSchema(full)).isEqualTo(full);
    }

    @Test
    void explicitTypeIsNotOverwritten() {
        ObjectNode schema = SchemaForms.toJsonSchema(json("{'type':['object','null'],'properties':{'a':'string'}}"));

        assertThat(schema.get("type")).isEqualTo(json("['object','null']"));
        assertThat(schema.at("/properties/a/type").asText()).isEqualTo("string");
    }

    @Test
    void shortAndFullPropertiesMayBeMixed() {
        ObjectNode schema = SchemaForms.toJsonSchema(json(
                "{'properties':{'amount':'number','currency':{'type':'string','maxLength':3}}}"));

        assertThat(schema.get("properties")).isEqualTo(json(
                "{'amount':{'type':'number'},'currency':{'type':'string','maxLength':3}}"));
    }

    @Test
    void declaredSchemaIsNotModified() {
        JsonNode declared = json("{'properties':{'amount':'number'}}");
        JsonNode copy = declared.deepCopy();

        ObjectNode schema = SchemaForms.toJsonSchema(declared);

        assertThat(declared).isEqualTo(copy);
        assertThat(schema).isNotSameAs(declared);
    }

    @Test
    void unknownShortTypeIsRefusedWithThePropertyPointer() {
        InvalidSchemaException e = invalid(json("{'properties':{'amount':'number','x':'money'}}"));

        assertThat(e.pointer()).isEqualTo("/properties/x");
        assertThat(e.getMessage()).contains("'money'").contains("number", "string", "integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Number", "int", "float", "", "date-time", "any"})
    void typeNamesOutsideJsonSchemaAreRefused(String type) {
        assertThat(invalid(json("{'properties':{'p':'" + type + "'}}")).pointer()).isEqualTo("/properties/p");
    }

    @Test
    void nullMeansAnyObject() {
        assertThat(SchemaForms.toJsonSchema(null)).isEqualTo(json("{'type':'object'}"));
    }

    @Test
    void jsonNullMeansAnyObject() {
        assertThat(SchemaForms.toJsonSchema(NullNode.getInstance())).isEqualTo(json("{'type':'object'}"));
    }

    @Test
    void missingSchemaMeansAnyObject() {
        assertThat(SchemaForms.toJsonSchema(MissingNode.getInstance())).isEqualTo(json("{'type':'object'}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "['amount']", "'number'", "12", "true"})
    void nonObjectSchemaIsRefused(String declared) {
        InvalidSchemaException e = invalid(json(declared));

        assertThat(e.pointer()).isEmpty();
        assertThat(e.getMessage()).contains("JSON object");
    }

    @Test
    void emptyObjectPassesUnchanged() {
        assertThat(SchemaForms.toJsonSchema(json("{}"))).isEqualTo(json("{}"));
    }

    @Test
    void unknownShortTypeOfAPropertyWithASlashHasAnEscapedPointer() throws Exception {
        com.fasterxml.jackson.databind.JsonNode declared = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"properties\":{\"a/b~c\":\"money\"}}");
        assertThatThrownBy(() -> SchemaForms.toJsonSchema(declared))
                .isInstanceOfSatisfying(InvalidSchemaException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/properties/a~1b~0c"));
    }
}
