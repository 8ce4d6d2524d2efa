package io.laurel.ingest.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the parameters of a webhook-style call ({@code ?user_id=…&course=…&score=87}) into an event
 * envelope. Envelope fields keep their names; every other parameter becomes a field of
 * {@code event_data}, converted to the type the event type's schema names for it (integer, number,
 * boolean), so it is validated like any event. A value that does not convert stays a string, and the
 * schema validation then says which field is wrong.
 */
public final class HookParameters {
    static final Set<String> RESERVED = Set.of("key", "user_id", "idempotence_key", "occurred_at", "event_action",
            "groups", "wait", "wait_ms");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private HookParameters() {
    }

    /**
     * @param params       query parameters and form fields (first value of each name wins)
     * @param eventSchema  the event type's JSON Schema, or null when the type is unknown
     */
    public static ObjectNode toEnvelope(String eventType, Map<String, List<String>> params, JsonNode eventSchema) {
        ObjectNode envelope = F.objectNode();
        envelope.put("event_type", eventType);
        ObjectNode data = envelope.putObject("event_data");
        params.forEach((name, values) -> {
            if (values == null || values.isEmpty() || name.equals("key") || name.equals("wait") || name.equals("wait_ms")
                    || (name.equals("result") && params.containsKey("wait"))) {
                return; // how to answer, not what happened
            }
            String value = values.get(0);
            switch (name) {
                case "user_id", "idempotence_key", "occurred_at", "event_action" -> envelope.put(name, value);
                case "groups" -> {
                    var groups = envelope.putArray("groups");
                    for (String v : values) {
                        for (String g : v.split(",")) {
                            if (!g.isBlank()) {
                                groups.add(g.trim());
                            }
                        }
                    }
                }
                default -> data.set(name, convert(value, typeOf(eventSchema, name)));
            }
        });
        return envelope;
    }

    private static String typeOf(JsonNode schema, String property) {
        if (schema == null) {
            return "string";
        }
        JsonNode type = schema.path("properties").path(property).path("type");
        if (type.isTextual()) {
            return type.asText();
        }
        if (type.isArray()) {
            for (String preferred : List.of("integer", "number", "boolean")) {
                for (JsonNode t : type) {
                    if (preferred.equals(t.asText())) {
                        return preferred;
                    }
                }
            }
        }
        return "string";
    }

    static JsonNode convert(String value, String type) {
        try {
            return switch (type) {
                case "integer" -> {
                    BigDecimal d = new BigDecimal(value.trim());
                    yield d.stripTrailingZeros().scale() <= 0 ? F.numberNode(d.toBigIntegerExact()) : F.textNode(value);
                }
                case "number" -> F.numberNode(new BigDecimal(value.trim()));
                case "boolean" -> switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "1", "yes", "on" -> F.booleanNode(true);
                    case "false", "0", "no", "off" -> F.booleanNode(false);
                    default -> F.textNode(value);
                };
                default -> F.textNode(value);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            return F.textNode(value);
        }
    }
}
