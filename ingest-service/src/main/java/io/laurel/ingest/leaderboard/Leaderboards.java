package io.laurel.ingest.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.events.time.CalendarPeriod;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A leaderboard's declared form: validated here, stored as the body of its catalog definition. */
public final class Leaderboards {
    public static final String KIND = LeaderboardDefinition.KIND;
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern CURRENCY = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    private static final Set<String> TIES = Set.of(LeaderboardDefinition.TIE_COMPETITION, LeaderboardDefinition.TIE_DENSE,
            LeaderboardDefinition.TIE_FIRST_TO_REACH);

    private Leaderboards() {
    }

    /**
     * The normalised body (without the id), or 422 with a pointer per bad field. {@code defaultZone}: the
     * tenant's time zone, used when the body names none.
     */
    public static ObjectNode validate(JsonNode body, String defaultZone) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("A leaderboard is a JSON object.", List.of(new FieldError("", "expected an object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String name = text(body, "name");
        if (name != null && name.length() > 200) {
            errors.add(new FieldError("/name", "must be at most 200 characters"));
        }
        out.put("name", name);
        String currency = text(body, "currency");
        currency = currency == null ? "points" : currency;
        if (!CURRENCY.matcher(currency).matches() || (body.has("currency") && !body.get("currency").isTextual()
                && !body.get("currency").isNull())) {
            errors.add(new FieldError("/currency", "must be lower-case letters, digits, '_' or '-', starting with a letter"));
        }
        out.put("currency", currency);
        String period = text(body, "period");
        try {
            out.put("period", period(CalendarPeriod.parse(period == null ? "all_time" : period)));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("/period", "must be all_time, yearly, quarterly, monthly, weekly or daily"));
        }
        String zone = text(body, "time_zone");
        try {
            out.put("time_zone", ZoneId.of(zone == null ? defaultZone : zone).getId());
        } catch (DateTimeException e) {
            errors.add(new FieldError("/time_zone", "must be an IANA time zone such as 'Europe/Zurich' or 'UTC'"));
        }
        String groupBy = text(body, "group_by");
        groupBy = groupBy == null ? LeaderboardDefinition.GROUP_BY_USER : groupBy;
        if (!groupBy.equals(LeaderboardDefinition.GROUP_BY_USER) && !groupBy.equals(LeaderboardDefinition.GROUP_BY_GROUP)) {
            errors.add(new FieldError("/group_by", "must be 'user' or 'group'"));
        }
        out.put("group_by", groupBy);
        String tie = text(body, "tie_strategy");
        tie = tie == null ? LeaderboardDefinition.TIE_COMPETITION : tie;
        if (!TIES.contains(tie)) {
            errors.add(new FieldError("/tie_strategy", "must be competition, dense or first_to_reach"));
        }
        out.put("tie_strategy", tie);
        LocalDate start = date(body, "start_date", errors);
        LocalDate end = date(body, "end_date", errors);
        if (start != null && end != null && end.isBefore(start)) {
            errors.add(new FieldError("/end_date", "must not be before start_date"));
        }
        if (start != null) {
            out.put("start_date", start.toString());
        }
        if (end != null) {
            out.put("end_date", end.toString());
        }
        JsonNode lower = body.get("redemptions_lower");
        if (lower != null && !lower.isNull() && !lower.isBoolean()) {
            errors.add(new FieldError("/redemptions_lower", "must be true or false"));
        }
        out.put("redemptions_lower", lower != null && lower.asBoolean(false));
        for (String field : List.of("name", "period", "time_zone", "group_by", "tie_strategy")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) {
                errors.add(new FieldError("/" + field, "must be a string"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid leaderboard.", errors);
        }
        return out;
    }

    /** The id of a new leaderboard, or 422. */
    public static String id(JsonNode body) {
        String id = body != null && body.path("id").isTextual() ? body.path("id").asText() : "";
        if (!ID.matcher(id).matches()) {
            throw ProblemException.invalid("Invalid leaderboard.", List.of(new FieldError("/id",
                    "is required: 1 to 63 lower-case letters, digits, '_' and '-', starting with a letter or digit")));
        }
        return id;
    }

    private static String period(CalendarPeriod p) {
        return switch (p) {
            case ALL_TIME -> "all_time";
            case YEAR -> "yearly";
            case QUARTER -> "quarterly";
            case MONTH -> "monthly";
            case WEEK -> "weekly";
            case DAY -> "daily";
        };
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static LocalDate date(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return LocalDate.parse(v.asText());
        } catch (DateTimeException e) {
            errors.add(new FieldError("/" + field, "must be a date such as 2026-05-01"));
            return null;
        }
    }

    /** The definition every service folds, from a stored body. */
    public static LeaderboardDefinition toDefinition(String tenant, String id, JsonNode body, boolean active, int version,
                                                     Instant createdAt, Instant at) {
        return new LeaderboardDefinition(tenant, id, body.path("name").isTextual() ? body.path("name").asText() : id,
                body.path("currency").asText("points"), body.path("period").asText("all_time"),
                body.path("time_zone").asText("UTC"), body.path("group_by").asText("user"),
                body.path("tie_strategy").asText("competition"),
                body.path("start_date").isTextual() ? LocalDate.parse(body.path("start_date").asText()) : null,
                body.path("end_date").isTextual() ? LocalDate.parse(body.path("end_date").asText()) : null,
                body.path("redemptions_lower").asBoolean(false), active, version, createdAt, at);
    }
}
