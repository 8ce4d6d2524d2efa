package io.laurel.ingest.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A rule's declared form: validated here, stored as the body of its catalog definition. */
public final class Rules {
    public static final String KIND = RuleDefinition.KIND;
    private static final Pattern CURRENCY = Pattern.compile("[a-z][a-z0-9_-]{0,39}");

    private Rules() {
    }

    /** The rule's normalised body, or 422 with a pointer per bad field. */
    public static ObjectNode validate(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("A rule is a JSON object.", List.of(new FieldError("", "expected an object")));
        }
        String name = body.path("name").isTextual() ? body.path("name").asText() : "";
        if (name.isBlank()) {
            errors.add(new FieldError("/name", "is required"));
        }
        String eventType = body.path("event_type").isTextual() ? body.path("event_type").asText() : "";
        if (eventType.isBlank()) {
            errors.add(new FieldError("/event_type", "is required"));
        }
        JsonNode points = body.get("points");
        String expression = body.path("points_expression").isTextual() ? body.path("points_expression").asText() : null;
        if ((points == null || points.isNull()) && expression == null) {
            errors.add(new FieldError("/points", "is required (or give points_expression)"));
        } else if (points != null && !points.isNull() && !points.isIntegralNumber()) {
            errors.add(new FieldError("/points", "must be an integer"));
        }
        String currency = body.path("currency").isTextual() ? body.path("currency").asText() : "points";
        if (!CURRENCY.matcher(currency).matches()) {
            errors.add(new FieldError("/currency", "must be lower-case letters, digits, '_' or '-'"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid rule.", errors);
        }
        ObjectNode normalised = JsonNodeFactory.instance.objectNode();
        normalised.put("name", name);
        normalised.put("event_type", eventType);
        normalised.put("points", points == null || points.isNull() ? 0 : points.asLong());
        normalised.put("currency", currency);
        normalised.set("condition", body.get("condition"));
        if (expression != null) {
            normalised.put("points_expression", expression);
        }
        normalised.set("cap", body.get("cap"));
        return normalised;
    }

    /** The definition every service folds, from a stored body. */
    public static RuleDefinition toDefinition(String tenant, String id, JsonNode body, boolean active, int version,
                                              Instant createdAt, Instant at) {
        JsonNode condition = body.get("condition");
        JsonNode cap = body.get("cap");
        return new RuleDefinition(tenant, id, body.path("name").asText(), body.path("event_type").asText(),
                body.path("points").asLong(), body.path("currency").asText("points"),
                condition == null || condition.isNull() ? null : condition,
                body.path("points_expression").isTextual() ? body.path("points_expression").asText() : null,
                cap == null || cap.isNull() ? null : cap, active, version, createdAt, at);
    }
}
