package io.laurel.ingest.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.RuleCap;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.expression.Expression;
import io.laurel.events.expression.ExpressionException;
import io.laurel.events.time.CalendarPeriod;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule's declared form: validated here (expressions parsed, so a rule that is stored can always be
 * applied), stored as the body of its catalog definition.
 */
public final class Rules {
    public static final String KIND = RuleDefinition.KIND;
    private static final Pattern CURRENCY = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    private static final Set<CalendarPeriod> CAP_PERIODS = Set.of(CalendarPeriod.DAY, CalendarPeriod.WEEK,
            CalendarPeriod.MONTH, CalendarPeriod.QUARTER, CalendarPeriod.YEAR, CalendarPeriod.ALL_TIME);

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
        String expression = expression(body, "points_expression", errors);
        boolean expressionGiven = body.hasNonNull("points_expression")
                && !(body.get("points_expression").isTextual() && body.get("points_expression").asText().isBlank());
        if ((points == null || points.isNull()) && !expressionGiven) {
            errors.add(new FieldError("/points", "is required (or give points_expression)"));
        } else if (points != null && !points.isNull() && !points.canConvertToLong()) {
            errors.add(new FieldError("/points", "must be an integer"));
        } else if (points != null && !points.isNull() && !points.isIntegralNumber()) {
            errors.add(new FieldError("/points", "must be an integer"));
        } else if (points != null && points.isIntegralNumber() && Math.abs(points.asLong()) > 1_000_000_000_000L) {
            errors.add(new FieldError("/points", "must be between -10^12 and 10^12"));
        }

        String condition = expression(body, "condition", errors);
        JsonNode currencyNode = body.get("currency");
        String currency = currencyNode == null || currencyNode.isNull() ? "points" : currencyNode.asText("");
        if (currencyNode != null && !currencyNode.isNull() && !currencyNode.isTextual() || !CURRENCY.matcher(currency).matches()) {
            errors.add(new FieldError("/currency", "must be lower-case letters, digits, '_' or '-', starting with a letter"));
        }
        ObjectNode cap = cap(body.get("cap"), errors);
        JsonNode once = body.get("once_per_user");
        if (once != null && !once.isNull() && !once.isBoolean()) {
            errors.add(new FieldError("/once_per_user", "must be true or false"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid rule.", errors);
        }
        ObjectNode normalised = JsonNodeFactory.instance.objectNode();
        normalised.put("name", name);
        normalised.put("event_type", eventType);
        // with a points_expression, the expression decides the points and a fixed "points" is not used
        normalised.put("points", points == null || points.isNull() || expression != null ? 0 : points.asLong());
        normalised.put("currency", currency);
        if (condition != null) {
            normalised.put("condition", condition);
        }
        if (expression != null) {
            normalised.put("points_expression", expression);
        }
        if (cap != null) {
            normalised.set("cap", cap);
        }
        normalised.put("once_per_user", once != null && once.asBoolean(false));
        return normalised;
    }

    private static String expression(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError("/" + field, "must be an expression, as a string"));
            return null;
        }
        if (v.asText().isBlank()) {
            return null; // an empty condition or expression is none
        }
        try {
            return Expression.parse(v.asText()).text();
        } catch (ExpressionException e) {
            errors.add(new FieldError("/" + field, e.getMessage()));
            return null;
        }
    }

    private static ObjectNode cap(JsonNode cap, List<FieldError> errors) {
        if (cap == null || cap.isNull()) {
            return null;
        }
        if (!cap.isObject()) {
            errors.add(new FieldError("/cap", "must be an object such as {\"period\": \"day\", \"max_points\": 50}"));
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        try {
            CalendarPeriod period = CalendarPeriod.parse(cap.path("period").asText(""));
            if (!CAP_PERIODS.contains(period)) {
                throw new IllegalArgumentException("unsupported");
            }
            out.put("period", period.wireName());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("/cap/period", "must be day, week, month, quarter, year or all_time"));
        }
        boolean any = false;
        for (String limit : List.of("max_points", "max_count")) {
            JsonNode v = cap.get(limit);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
                errors.add(new FieldError("/cap/" + limit, "must be a whole number of at least 1"));
                continue;
            }
            out.put(limit, v.asLong());
            any = true;
        }
        if (!any && cap.get("max_points") == null && cap.get("max_count") == null) {
            errors.add(new FieldError("/cap", "needs max_points, max_count or both"));
        }
        return out;
    }

    /** One version of the rule, as every service folds it, from a stored body. */
    public static RuleDefinition toDefinition(String tenant, String id, JsonNode body, boolean active, int version,
                                              Instant createdAt, Instant at, List<RuleDefinition> previousVersions) {
        JsonNode cap = body.get("cap");
        RuleCap ruleCap = null;
        if (cap != null && cap.isObject() && cap.path("period").isTextual()) {
            ruleCap = new RuleCap(CalendarPeriod.parse(cap.path("period").asText()),
                    cap.path("max_points").isIntegralNumber() ? cap.path("max_points").asLong() : null,
                    cap.path("max_count").isIntegralNumber() ? cap.path("max_count").asLong() : null);
        }
        return new RuleDefinition(tenant, id, body.path("name").asText(), body.path("event_type").asText(),
                body.path("points").asLong(), body.path("currency").asText("points"),
                body.path("condition").isTextual() ? body.path("condition").asText() : null,
                body.path("points_expression").isTextual() ? body.path("points_expression").asText() : null,
                ruleCap, body.path("once_per_user").asBoolean(false), active, version, createdAt, at, previousVersions);
    }
}
