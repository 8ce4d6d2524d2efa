package io.laurel.ingest.level;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.LevelDefinition;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A level set's declared form: validated here, stored as the body of its catalog definition. */
public final class Levels {
    public static final String KIND = LevelDefinition.KIND;
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}", Pattern.CASE_INSENSITIVE);
    private static final Pattern CURRENCY = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    static final int MAX_LEVELS = 200;

    private Levels() {
    }

    public static String id(JsonNode body) {
        String id = body != null && body.path("id").isTextual() ? body.path("id").asText() : "";
        if (!ID.matcher(id).matches()) {
            throw ProblemException.invalid("Invalid levels.", List.of(new FieldError("/id",
                    "is required: 1 to 63 letters, digits, '_', '.' and '-', starting with a letter or digit")));
        }
        return id;
    }

    /**
     * The normalised body, or 422: {@code levels} is a list of {@code {number, name, threshold}} with numbers
     * and thresholds both rising (the first threshold at least 0).
     */
    public static ObjectNode validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("Levels are a JSON object.", List.of(new FieldError("", "expected an object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        JsonNode name = body.get("name");
        if (name != null && !name.isNull() && (!name.isTextual() || name.asText().length() > 200)) {
            errors.add(new FieldError("/name", "must be a string of at most 200 characters"));
        }
        out.put("name", name != null && name.isTextual() ? name.asText() : null);
        JsonNode currency = body.get("currency");
        String c = currency == null || currency.isNull() ? "points" : currency.asText();
        if ((currency != null && !currency.isNull() && !currency.isTextual()) || !CURRENCY.matcher(c).matches()) {
            errors.add(new FieldError("/currency", "must be lower-case letters, digits, '_' or '-', starting with a letter"));
        }
        out.put("currency", c);
        JsonNode levels = body.get("levels");
        ArrayNode list = out.putArray("levels");
        if (levels == null || !levels.isArray() || levels.isEmpty() || levels.size() > MAX_LEVELS) {
            errors.add(new FieldError("/levels", "is required: a list of 1 to " + MAX_LEVELS + " levels {number, name,"
                    + " threshold}"));
        } else {
            long lastThreshold = -1;
            long lastNumber = Long.MIN_VALUE;
            for (int i = 0; i < levels.size(); i++) {
                JsonNode l = levels.get(i);
                String at = "/levels/" + i;
                if (!l.isObject()) {
                    errors.add(new FieldError(at, "must be an object {number, name, threshold}"));
                    continue;
                }
                JsonNode number = l.get("number");
                JsonNode threshold = l.get("threshold");
                JsonNode levelName = l.get("name");
                if (number == null || !number.isIntegralNumber() || !number.canConvertToInt()) {
                    errors.add(new FieldError(at + "/number", "is required: a whole number"));
                } else if (number.asLong() <= lastNumber) {
                    errors.add(new FieldError(at + "/number", "must be greater than the level before"));
                } else {
                    lastNumber = number.asLong();
                }
                if (threshold == null || !threshold.isIntegralNumber() || !threshold.canConvertToLong()
                        || threshold.asLong() < 0) {
                    errors.add(new FieldError(at + "/threshold", "is required: a whole number of at least 0"));
                } else if (threshold.asLong() <= lastThreshold) {
                    errors.add(new FieldError(at + "/threshold", "must be greater than the level before"));
                } else {
                    lastThreshold = threshold.asLong();
                }
                if (levelName == null || !levelName.isTextual() || levelName.asText().isBlank()
                        || levelName.asText().length() > 200) {
                    errors.add(new FieldError(at + "/name", "is required: 1 to 200 characters"));
                }
                ObjectNode o = list.addObject();
                o.put("number", number == null ? 0 : number.asInt());
                o.put("name", levelName == null ? null : levelName.asText());
                o.put("threshold", threshold == null ? 0 : threshold.asLong());
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid levels.", errors);
        }
        return out;
    }

    public static LevelDefinition toDefinition(String tenant, String id, JsonNode body, boolean active, int version,
                                               Instant createdAt, Instant at) {
        List<LevelDefinition.Level> levels = new ArrayList<>();
        for (JsonNode l : body.path("levels")) {
            levels.add(new LevelDefinition.Level(l.path("number").asInt(), l.path("name").asText(),
                    l.path("threshold").asLong()));
        }
        return new LevelDefinition(tenant, id, body.path("name").isTextual() ? body.path("name").asText() : id,
                body.path("currency").asText("points"), levels, active, version, createdAt, at);
    }
}
