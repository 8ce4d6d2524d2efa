package io.laurel.ingest.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.expression.Expression;
import io.laurel.events.expression.ExpressionException;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.ingest.definition.DefinitionFields;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static io.laurel.ingest.definition.DefinitionFields.text;
import static io.laurel.ingest.definition.DefinitionFields.textOr;

/** A challenge's declared form: validated here, stored as the body of its catalog definition. */
public final class Challenges {
    public static final String KIND = ChallengeDefinition.KIND;
    private static final Pattern ID = DefinitionFields.ID;
    private static final Pattern CURRENCY = DefinitionFields.CURRENCY;
    static final long MAX_REWARD = 1_000_000_000L;

    private Challenges() {
    }

    /** The id of a new challenge, or 422. */
    public static String id(JsonNode body) {
        return DefinitionFields.id(body, "challenge");
    }

    /** The normalised body (without the id), or 422 with a pointer per bad field. */
    public static ObjectNode validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("A challenge is a JSON object.", List.of(new FieldError("", "expected an object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String field : List.of("name", "description", "image_url", "starts_at", "ends_at", "time_box")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) {
                errors.add(new FieldError("/" + field, "must be a string"));
            }
        }
        DefinitionFields.presentation(body, out, errors);
        JsonNode ordered = body.get("ordered");
        if (ordered != null && !ordered.isNull() && !ordered.isBoolean()) {
            errors.add(new FieldError("/ordered", "must be true or false"));
        }
        out.put("ordered", ordered != null && ordered.asBoolean(false));
        out.set("steps", steps(body.get("steps"), errors));
        Instant starts = time(body, "starts_at", errors);
        Instant ends = time(body, "ends_at", errors);
        if (starts != null && ends != null && !ends.isAfter(starts)) {
            errors.add(new FieldError("/ends_at", "must be after starts_at"));
        }
        out.put("starts_at", starts == null ? null : starts.toString());
        out.put("ends_at", ends == null ? null : ends.toString());
        String timeBox = text(body, "time_box");
        if (timeBox != null) {
            try {
                Duration d = Duration.parse(timeBox);
                if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(3660)) > 0) {
                    errors.add(new FieldError("/time_box", "must be a positive duration of at most 3660 days"));
                }
                out.put("time_box", d.toString());
            } catch (DateTimeException e) {
                errors.add(new FieldError("/time_box", "must be an ISO-8601 duration such as P7D, PT48H or PT30M"));
            }
        }
        reward(body.get("reward"), out, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid challenge.", errors);
        }
        return out;
    }

    private static void reward(JsonNode reward, ObjectNode out, List<FieldError> errors) {
        ObjectNode r = out.putObject("reward");
        if (reward == null || reward.isNull()) {
            r.putNull("points");
            r.put("currency", "points");
            r.putNull("badge_id");
            return;
        }
        if (!reward.isObject()) {
            errors.add(new FieldError("/reward", "must be an object {points?, currency?, badge_id?}"));
            return;
        }
        JsonNode points = reward.get("points");
        if (points != null && !points.isNull() && (!points.isIntegralNumber() || !points.canConvertToLong()
                || points.asLong() < 1 || points.asLong() > MAX_REWARD)) {
            errors.add(new FieldError("/reward/points", "must be a whole number from 1 to " + MAX_REWARD));
        } else if (points != null && !points.isNull()) {
            r.put("points", points.asLong());
        } else {
            r.putNull("points");
        }
        JsonNode currency = reward.get("currency");
        if (currency != null && !currency.isNull() && (!currency.isTextual() || !CURRENCY.matcher(currency.asText()).matches())) {
            errors.add(new FieldError("/reward/currency", DefinitionFields.CURRENCY_RULE));
        }
        r.put("currency", currency != null && currency.isTextual() ? currency.asText() : "points");
        JsonNode badge = reward.get("badge_id");
        if (badge != null && !badge.isNull() && (!badge.isTextual() || !ID.matcher(badge.asText()).matches())) {
            errors.add(new FieldError("/reward/badge_id", "must be the id of a badge"));
        }
        r.put("badge_id", badge != null && badge.isTextual() ? badge.asText() : null);
    }

    private static ArrayNode steps(JsonNode steps, List<FieldError> errors) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (steps == null || !steps.isArray() || steps.isEmpty() || steps.size() > ChallengeDefinition.MAX_STEPS) {
            errors.add(new FieldError("/steps", "is required: a list of 1 to " + ChallengeDefinition.MAX_STEPS + " steps"));
            return out;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode s = steps.get(i);
            String at = "/steps/" + i;
            if (!s.isObject()) {
                errors.add(new FieldError(at, "must be an object {id, name, kind, ...}"));
                continue;
            }
            ObjectNode o = out.addObject();
            for (String field : List.of("id", "name", "kind", "event_type", "currency", "condition", "streak_unit", "badge_id")) {
                JsonNode v = s.get(field);
                if (v != null && !v.isNull() && !v.isTextual()) {
                    errors.add(new FieldError(at + "/" + field, "must be a string"));
                }
            }
            String id = text(s, "id");
            id = id == null ? "step-" + (i + 1) : id;
            if (!ID.matcher(id).matches()) {
                errors.add(new FieldError(at + "/id", "must be 1 to 63 letters, digits, '_', '.' and '-'"));
            } else if (!ids.add(id)) {
                errors.add(new FieldError(at + "/id", "is used by another step of this challenge"));
            }
            o.put("id", id);
            String name = text(s, "name");
            if (name != null && name.length() > 200) {
                errors.add(new FieldError(at + "/name", "must be at most 200 characters"));
            }
            o.put("name", name == null ? id : name);
            JsonNode weight = s.get("weight");
            if (weight != null && !weight.isNull() && (!weight.isIntegralNumber() || !weight.canConvertToInt()
                    || weight.asInt() < 1 || weight.asInt() > 1000)) {
                errors.add(new FieldError(at + "/weight", "must be a whole number from 1 to 1000"));
            }
            o.put("weight", weight != null && weight.canConvertToInt() ? Math.max(1, weight.asInt()) : 1);
            String kind = text(s, "kind");
            if (kind == null || !ChallengeDefinition.STEP_KINDS.contains(kind)) {
                errors.add(new FieldError(at + "/kind", "is required: first, count, points, streak or badge"));
                continue;
            }
            o.put("kind", kind);
            boolean byEvents = kind.equals(ChallengeDefinition.FIRST) || kind.equals(ChallengeDefinition.COUNT)
                    || kind.equals(ChallengeDefinition.STREAK);
            String eventType = text(s, "event_type");
            if (byEvents && eventType == null) {
                errors.add(new FieldError(at + "/event_type", "is required for a " + kind + " step"));
            }
            o.put("event_type", byEvents ? eventType : null);
            JsonNode threshold = s.get("threshold");
            boolean needsThreshold = kind.equals(ChallengeDefinition.COUNT) || kind.equals(ChallengeDefinition.POINTS)
                    || kind.equals(ChallengeDefinition.STREAK);
            if (threshold != null && !threshold.isNull() && (!threshold.isIntegralNumber() || !threshold.canConvertToLong()
                    || threshold.asLong() < 1)) {
                errors.add(new FieldError(at + "/threshold", "must be a whole number of at least 1"));
            } else if (needsThreshold && (threshold == null || threshold.isNull())) {
                errors.add(new FieldError(at + "/threshold", "is required for a " + kind + " step"));
            } else if (needsThreshold) {
                o.put("threshold", threshold.asLong());
            }
            if (kind.equals(ChallengeDefinition.POINTS)) {
                String currency = text(s, "currency");
                currency = currency == null ? "points" : currency;
                if (!CURRENCY.matcher(currency).matches()) {
                    errors.add(new FieldError(at + "/currency", DefinitionFields.CURRENCY_RULE));
                }
                o.put("currency", currency);
            }
            String condition = text(s, "condition");
            if (condition != null && byEvents) {
                try {
                    o.put("condition", Expression.parse(condition).text());
                } catch (ExpressionException e) {
                    errors.add(new FieldError(at + "/condition", e.getMessage()));
                }
            }
            if (kind.equals(ChallengeDefinition.STREAK)) {
                String unit = text(s, "streak_unit");
                unit = unit == null ? BadgeDefinition.DAY : unit;
                if (!unit.equals(BadgeDefinition.DAY) && !unit.equals(BadgeDefinition.WEEK)) {
                    errors.add(new FieldError(at + "/streak_unit", "must be 'day' or 'week'"));
                }
                o.put("streak_unit", unit);
            }
            if (kind.equals(ChallengeDefinition.BADGE)) {
                String badge = text(s, "badge_id");
                if (badge == null) {
                    errors.add(new FieldError(at + "/badge_id", "is required for a badge step"));
                }
                o.put("badge_id", badge);
            }
        }
        return out;
    }

    private static Instant time(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || !v.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeException e) {
            errors.add(new FieldError("/" + field, "must be a time with an offset, such as 2026-07-04T16:00:00+02:00"));
            return null;
        }
    }

    /** The event types the steps name, with the pointer of each. */
    static List<String[]> eventTypes(ObjectNode challenge) {
        List<String[]> out = new ArrayList<>();
        JsonNode steps = challenge.path("steps");
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).path("event_type").isTextual()) {
                out.add(new String[]{"/steps/" + i + "/event_type", steps.get(i).path("event_type").asText()});
            }
        }
        return out;
    }

    /** The badges the steps and the reward name, with the pointer of each. */
    static List<String[]> badges(ObjectNode challenge) {
        List<String[]> out = new ArrayList<>();
        JsonNode steps = challenge.path("steps");
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).path("badge_id").isTextual()) {
                out.add(new String[]{"/steps/" + i + "/badge_id", steps.get(i).path("badge_id").asText()});
            }
        }
        if (challenge.path("reward").path("badge_id").isTextual()) {
            out.add(new String[]{"/reward/badge_id", challenge.path("reward").path("badge_id").asText()});
        }
        return out;
    }

    /** The definition every service folds, from a stored body. */
    public static ChallengeDefinition toDefinition(String tenant, String id, JsonNode body, boolean active, int version,
                                                   Instant createdAt, Instant at) {
        List<ChallengeDefinition.Step> steps = new ArrayList<>();
        for (JsonNode s : body.path("steps")) {
            steps.add(new ChallengeDefinition.Step(s.path("id").asText(), textOr(s, "name", s.path("id").asText()),
                    s.path("kind").asText(), textOr(s, "event_type", null),
                    s.path("threshold").isNumber() ? s.path("threshold").asLong() : null, textOr(s, "currency", null),
                    textOr(s, "condition", null), textOr(s, "streak_unit", null), textOr(s, "badge_id", null),
                    s.path("weight").isInt() ? s.path("weight").asInt() : 1));
        }
        JsonNode reward = body.path("reward");
        return new ChallengeDefinition(tenant, id, textOr(body, "name", id), textOr(body, "description", null),
                textOr(body, "image_url", null), body.path("ordered").asBoolean(false), steps,
                body.path("starts_at").isTextual() ? Instant.parse(body.path("starts_at").asText()) : null,
                body.path("ends_at").isTextual() ? Instant.parse(body.path("ends_at").asText()) : null,
                textOr(body, "time_box", null),
                reward.path("points").isNumber() ? reward.path("points").asLong() : null,
                reward.path("currency").asText("points"), textOr(reward, "badge_id", null),
                active, version, createdAt, at);
    }

    /** A challenge as the admin API shows it: the reward as one object. */
    public static io.laurel.api.ChallengeDefinition view(ChallengeDefinition c) {
        return new io.laurel.api.ChallengeDefinition(c.tenant(), c.id(), c.name(), c.description(), c.imageUrl(),
                c.ordered(), c.steps().stream().map(s -> new io.laurel.api.ChallengeDefinition.Step(s.id(), s.name(),
                        s.kind(), s.eventType(), s.threshold(), s.currency(), s.condition(), s.streakUnit(), s.badgeId(),
                        s.weight())).toList(), c.startsAt(), c.endsAt(), c.timeBox(),
                new io.laurel.api.ChallengeDefinition.Reward(c.rewardPoints(), c.rewardCurrency(), c.rewardBadgeId()),
                c.active(), c.version(), c.createdAt(), c.updatedAt());
    }
}
