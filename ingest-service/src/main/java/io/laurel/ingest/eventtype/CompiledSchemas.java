package io.laurel.ingest.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.catalog.EventTypeDefinition;
import org.everit.json.schema.Schema;
import org.everit.json.schema.SchemaException;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONArray;
import org.json.JSONObject;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates {@code event_data} with everit-json-schema. Each event type version is compiled once; the
 * compiled schema is kept until a newer version replaces it.
 *
 * <p>JSON numbers with an integral value written as decimals ({@code 1.0}) are treated as integers, in
 * data and in schemas, as JSON Schema says they are.
 */
@Component
public class CompiledSchemas {
    private final Map<String, Compiled> byType = new ConcurrentHashMap<>();

    private record Compiled(int version, String createdAt, Schema schema) {
    }

    /** A violation of the schema: where (JSON Pointer inside event_data) and what. */
    public record Violation(String pointer, String message) {
    }

    /** Compiles a schema, or throws {@link InvalidSchemaException} saying why it cannot be used. */
    public static Schema compile(JsonNode jsonSchema) {
        try {
            Object raw = toOrgJson(jsonSchema);
            if (!(raw instanceof JSONObject obj)) {
                throw new InvalidSchemaException("", "a schema must be a JSON object");
            }
            return SchemaLoader.builder().schemaJson(obj).draftV7Support().build().load().build();
        } catch (SchemaException | IllegalArgumentException | ClassCastException e) {
            throw new InvalidSchemaException("", e.getMessage());
        }
    }

    public List<Violation> validate(EventTypeDefinition type, JsonNode eventData) {
        String key = type.tenant() + "\u0000" + type.name();
        Compiled compiled = byType.get(key);
        String stamp = String.valueOf(type.updatedAt());
        if (compiled == null || compiled.version() != type.version() || !compiled.createdAt().equals(stamp)) {
            compiled = new Compiled(type.version(), stamp, compile(type.eventDataSchema()));
            byType.put(key, compiled);
        }
        try {
            compiled.schema().validate(toOrgJson(eventData));
            return List.of();
        } catch (ValidationException e) {
            List<Violation> out = new ArrayList<>();
            collect(e, out);
            return out;
        }
    }

    private static void collect(ValidationException e, List<Violation> out) {
        if (e.getCausingExceptions().isEmpty()) {
            String pointer = e.getPointerToViolation() == null ? "" : e.getPointerToViolation();
            if (pointer.startsWith("#")) {
                pointer = pointer.substring(1);
            }
            if ("required".equals(e.getKeyword())) {
                String msg = e.getErrorMessage();
                int open = msg.indexOf('[');
                int close = msg.indexOf(']');
                if (open >= 0 && close > open) {
                    pointer = pointer + "/" + msg.substring(open + 1, close).replace("~", "~0").replace("/", "~1");
                }
            }
            out.add(new Violation(pointer, e.getErrorMessage()));
            return;
        }
        for (ValidationException cause : e.getCausingExceptions()) {
            collect(cause, out);
        }
    }

    /**
     * The narrowest integer type: everit requires {@code Integer} for keywords such as maxLength, and
     * compares numbers by value whatever their type.
     */
    private static Object integral(BigInteger i) {
        int bits = i.bitLength();
        if (bits < 32) {
            return i.intValue();
        }
        return bits < 64 ? (Object) i.longValue() : i;
    }

    /** Jackson tree to org.json values, integral decimals as integers. */
    static Object toOrgJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JSONObject.NULL;
        }
        if (node.isObject()) {
            JSONObject obj = new JSONObject();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                obj.put(e.getKey(), toOrgJson(e.getValue()));
            }
            return obj;
        }
        if (node.isArray()) {
            JSONArray arr = new JSONArray();
            for (JsonNode item : node) {
                arr.put(toOrgJson(item));
            }
            return arr;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return integral(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue();
            if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
                return integral(d.toBigInteger());
            }
            return node.isBigDecimal() ? d : (Object) node.doubleValue();
        }
        return node.asText();
    }
}
