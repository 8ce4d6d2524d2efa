package io.laurel.ingest.badge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.expression.Expression;
import io.laurel.events.expression.ExpressionException;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.ingest.definition.DefinitionFields;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static io.laurel.ingest.definition.DefinitionFields.text;
import static io.laurel.ingest.definition.DefinitionFields.textOr;

/** A badge's declared form: validated here, stored as the body of its catalog definition. */
public final class Badges {
    public static final String KIND = BadgeDefinition.KIND;
    private static final Pattern CURRENCY = DefinitionFields.CURRENCY;
    static final int MAX_SESSIONS = 1000;

    private Badges() {
    }

    /** The id of a new badge, or 422. */
    public static String id(JsonNode body) {
        return DefinitionFields.id(body, "badge");
    }

    /** The normalised body (without the id), or 422 with a pointer per bad field. */
    public static ObjectNode validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("A badge is a JSON object.", List.of(new FieldError("", "expected an object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String field : List.of("name", "description", "image_url", "kind", "event_type", "currency", "condition",
                "streak_unit", "track_field", "expires_after", "certificate_template")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) {
                errors.add(new FieldError("/" + field, "must be a string"));
            }
        }
        DefinitionFields.presentation(body, out, errors);
        String kind = text(body, "kind");
        if (kind == null || !BadgeDefinition.KINDS.contains(kind)) {
            errors.add(new FieldError("/kind", "is required: first, count, points, streak, attendance or manual"));
            throw ProblemException.invalid("Invalid badge.", errors);
        }
        out.put("kind", kind);
        boolean byEvents = !kind.equals(BadgeDefinition.POINTS) && !kind.equals(BadgeDefinition.MANUAL);
        String eventType = text(body, "event_type");
        if (byEvents && eventType == null) {
            errors.add(new FieldError("/event_type", "is required for a " + kind + " badge"));
        }
        out.put("event_type", byEvents ? eventType : null);
        JsonNode threshold = body.get("threshold");
        boolean needsThreshold = kind.equals(BadgeDefinition.COUNT) || kind.equals(BadgeDefinition.POINTS)
                || kind.equals(BadgeDefinition.STREAK);
        if (threshold != null && !threshold.isNull() && (!threshold.canConvertToLong() || !threshold.isIntegralNumber()
                || threshold.asLong() < 1)) {
            errors.add(new FieldError("/threshold", "must be a whole number of at least 1"));
        } else if (needsThreshold && (threshold == null || threshold.isNull())) {
            errors.add(new FieldError("/threshold", "is required for a " + kind + " badge"));
        } else if (needsThreshold) {
            out.put("threshold", threshold.asLong());
        }
        String currency = text(body, "currency");
        currency = currency == null ? "points" : currency;
        if (!CURRENCY.matcher(currency).matches()) {
            errors.add(new FieldError("/currency", DefinitionFields.CURRENCY_RULE));
        }
        out.put("currency", currency);
        String condition = text(body, "condition");
        if (condition != null) {
            try {
                out.put("condition", Expression.parse(condition).text());
            } catch (ExpressionException e) {
                errors.add(new FieldError("/condition", e.getMessage()));
            }
        }
        String unit = text(body, "streak_unit");
        unit = unit == null ? BadgeDefinition.DAY : unit;
        if (!unit.equals(BadgeDefinition.DAY) && !unit.equals(BadgeDefinition.WEEK)) {
            errors.add(new FieldError("/streak_unit", "must be 'day' or 'week'"));
        }
        out.put("streak_unit", unit);
        out.set("sessions", sessions(body.get("sessions"), kind.equals(BadgeDefinition.ATTENDANCE), errors));
        String trackField = text(body, "track_field");
        out.put("track_field", trackField == null ? "track" : trackField);
        JsonNode repeatable = body.get("repeatable");
        if (repeatable != null && !repeatable.isNull() && !repeatable.isBoolean()) {
            errors.add(new FieldError("/repeatable", "must be true or false"));
        }
        if (kind.equals(BadgeDefinition.FIRST) && repeatable != null && repeatable.asBoolean(false)) {
            errors.add(new FieldError("/repeatable", "a first badge is earned once; use a count badge with threshold 1"));
        }
        out.put("repeatable", repeatable != null && repeatable.asBoolean(false));
        String expires = text(body, "expires_after");
        if (expires != null) {
            try {
                Period p = Period.parse(expires);
                if (p.isNegative() || p.isZero()) {
                    errors.add(new FieldError("/expires_after", "must be a positive period such as P30D or P1Y"));
                }
                out.put("expires_after", p.toString());
            } catch (DateTimeException e) {
                errors.add(new FieldError("/expires_after", "must be an ISO-8601 period such as P30D, P6M or P1Y"));
            }
        }
        String template = text(body, "certificate_template");
        if (template != null) {
            out.put("certificate_template", template);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid badge.", errors);
        }
        return out;
    }

    private static ArrayNode sessions(JsonNode sessions, boolean required, List<FieldError> errors) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (sessions == null || sessions.isNull()) {
            if (required) {
                errors.add(new FieldError("/sessions", "an attendance badge needs at least one session"));
            }
            return out;
        }
        if (!sessions.isArray() || sessions.size() > MAX_SESSIONS) {
            errors.add(new FieldError("/sessions", "must be a list of at most " + MAX_SESSIONS + " sessions"));
            return out;
        }
        if (required && sessions.isEmpty()) {
            errors.add(new FieldError("/sessions", "an attendance badge needs at least one session"));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < sessions.size(); i++) {
            JsonNode s = sessions.get(i);
            String at = "/sessions/" + i;
            if (!s.isObject()) {
                errors.add(new FieldError(at, "must be an object {id, start, end, track?}"));
                continue;
            }
            String id = s.path("id").isTextual() ? s.path("id").asText() : null;
            if (id == null || id.isBlank() || id.length() > 100) {
                errors.add(new FieldError(at + "/id", "is required: 1 to 100 characters"));
            } else if (!ids.add(id)) {
                errors.add(new FieldError(at + "/id", "is used by another session of this badge"));
            }
            Instant start = time(s.get("start"), at + "/start", errors);
            Instant end = time(s.get("end"), at + "/end", errors);
            if (start != null && end != null && !end.isAfter(start)) {
                errors.add(new FieldError(at + "/end", "must be after start"));
            }
            JsonNode track = s.get("track");
            if (track != null && !track.isNull() && !track.isTextual() && !track.isIntegralNumber()) {
                errors.add(new FieldError(at + "/track", "must be a string or a whole number"));
            }
            ObjectNode o = out.addObject();
            o.put("id", id);
            o.put("start", start == null ? null : start.toString());
            o.put("end", end == null ? null : end.toString());
            o.put("track", track == null || track.isNull() ? null : track.asText());
        }
        return out;
    }

    private static Instant time(JsonNode v, String pointer, List<FieldError> errors) {
        if (v == null || !v.isTextual()) {
            errors.add(new FieldError(pointer, "is required: a time with an offset, such as 2026-07-04T16:00:00+05:30"));
            return null;
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeException e) {
            errors.add(new FieldError(pointer, "must be a time with an offset, such as 2026-07-04T16:00:00+05:30"));
            return null;
        }
    }

    /** The definition every service folds, from a stored body. */
    public static BadgeDefinition toDefinition(String tenant, String id, JsonNode body, boolean active, int version,
                                               Instant createdAt, Instant at) {
        List<BadgeDefinition.Session> sessions = new ArrayList<>();
        for (JsonNode s : body.path("sessions")) {
            sessions.add(new BadgeDefinition.Session(s.path("id").asText(), Instant.parse(s.path("start").asText()),
                    Instant.parse(s.path("end").asText()), s.path("track").isTextual() ? s.path("track").asText() : null));
        }
        return new BadgeDefinition(tenant, id, textOr(body, "name", id), textOr(body, "description", null),
                textOr(body, "image_url", null), body.path("kind").asText(), textOr(body, "event_type", null),
                body.path("threshold").isNumber() ? body.path("threshold").asLong() : null,
                body.path("currency").asText("points"), textOr(body, "condition", null),
                body.path("streak_unit").asText(BadgeDefinition.DAY), sessions,
                body.path("track_field").asText("track"), body.path("repeatable").asBoolean(false),
                textOr(body, "expires_after", null), textOr(body, "certificate_template", null), active, version,
                createdAt, at);
    }

    /** A badge as the admin API shows it: {@code kind} is the badge's kind. */
    public static ObjectNode view(BadgeDefinition b) {
        ObjectNode node = LaurelJson.mapper().valueToTree(b);
        node.put("kind", b.badgeKind());
        node.remove("badge_kind");
        return node;
    }
}
