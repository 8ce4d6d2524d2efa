package io.laurel.ingest.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Accepts an event type's schema in either form and returns full JSON Schema (draft-07).
 *
 * <p>The short form of the multi-tenant engine's admin page, {@code {"required": ["amount"],
 * "properties": {"amount": "number"}}}, names each property's type as a string; full JSON Schema gives
 * each property a schema object. A property given as a string is a short-form type name.
 */
public final class SchemaForms {
    private static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "object", "array", "null");

    private SchemaForms() {
    }

    /** Null or absent: any object. */
    public static ObjectNode toJsonSchema(JsonNode declared) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (declared == null || declared.isNull() || declared.isMissingNode()) {
            ObjectNode any = f.objectNode();
            any.put("type", "object");
            return any;
        }
        if (!declared.isObject()) {
            throw new InvalidSchemaException("", "event_data_schema must be a JSON object");
        }
        ObjectNode schema = ((ObjectNode) declared).deepCopy();
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.isObject()) {
            ObjectNode converted = f.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                converted.set(e.getKey(), property(e.getKey(), e.getValue()));
            }
            schema.set("properties", converted);
            if (!schema.has("type")) {
                schema.put("type", "object");
            }
        }
        return schema;
    }

    private static JsonNode property(String name, JsonNode value) {
        if (!value.isTextual()) {
            return value;
        }
        String type = value.asText();
        if (!TYPES.contains(type)) {
            throw new InvalidSchemaException("/properties/" + name.replace("~", "~0").replace("/", "~1"),
                    "unknown type '" + type + "'; use one of " + String.join(", ", TYPES.stream().sorted().toList()));
        }
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("type", type);
        return p;
    }
}
