package io.laurel.ingest.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.Ids;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.ingest.eventtype.CompiledSchemas;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import org.springframework.http.HttpStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Turns an envelope a backend sent into an {@link EventAccepted}, or says precisely what is wrong:
 * envelope fields (422 with a pointer per field), an undeclared type (400 EVENT_TYPE_NOT_DECLARED),
 * and {@code event_data} against the type's schema (422 SCHEMA_VIOLATION, a pointer per violation).
 * {@code occurred_at} may lie in the past (backfill), not further in the future than the clock skew.
 */
public final class EventValidator {
    static final int MAX_ID_LENGTH = 200;
    static final int MAX_GROUPS = 50;

    private final BiFunction<String, String, Optional<EventTypeDefinition>> eventTypes;
    private final CompiledSchemas schemas;
    private final Clock clock;
    private final Duration maxFutureSkew;
    private final java.util.function.LongSupplier catalogPosition;

    public EventValidator(BiFunction<String, String, Optional<EventTypeDefinition>> eventTypes,
                          CompiledSchemas schemas, Clock clock, Duration maxFutureSkew) {
        this(eventTypes, schemas, clock, maxFutureSkew, null);
    }

    /** {@code catalogPosition}: the catalog view's position, stamped on each accepted event (see EventAccepted). */
    public EventValidator(BiFunction<String, String, Optional<EventTypeDefinition>> eventTypes,
                          CompiledSchemas schemas, Clock clock, Duration maxFutureSkew,
                          java.util.function.LongSupplier catalogPosition) {
        this.eventTypes = eventTypes;
        this.schemas = schemas;
        this.clock = clock;
        this.maxFutureSkew = maxFutureSkew;
        this.catalogPosition = catalogPosition;
    }

    /**
     * Validates an event a client sends with a key of {@code scopes}. Of the system types, {@code score.manual}
     * (points given by hand) needs {@code points:write} as well, and {@code points.redeemed} is refused: only
     * the redemption wallet, which guards against overdrawing, writes it.
     */
    public EventAccepted validate(String tenant, JsonNode body, java.util.Set<String> scopes) {
        EventAccepted event = validate(tenant, body);
        if (io.laurel.events.SystemTypes.POINTS_REDEEMED.equals(event.eventType())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "SYSTEM_EVENT_TYPE", "System event type",
                    "Events of 'points.redeemed' are written by Laurel's redemptions; use POST /v1/redemptions.",
                    List.of(new FieldError("/event_type", "is written by Laurel only")));
        }
        if (io.laurel.events.SystemTypes.BADGE_GRANTED.equals(event.eventType())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "SYSTEM_EVENT_TYPE", "System event type",
                    "Events of 'badge.granted' are written by Laurel's badge grants; use POST /v1/badges/{id}/grants.",
                    List.of(new FieldError("/event_type", "is written by Laurel only")));
        }
        if (io.laurel.events.SystemTypes.FEATURE_GRANTED.equals(event.eventType())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "SYSTEM_EVENT_TYPE", "System event type",
                    "Events of 'feature.granted' are written by Laurel's feature grants; use POST /v1/features/{id}/grants.",
                    List.of(new FieldError("/event_type", "is written by Laurel only")));
        }
        if (io.laurel.events.SystemTypes.POINTS_RECALCULATED.equals(event.eventType())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "SYSTEM_EVENT_TYPE", "System event type",
                    "Events of 'points.recalculated' are written by Laurel when a recalculation is applied;"
                            + " use POST /v1/ops/recalculations.",
                    List.of(new FieldError("/event_type", "is written by Laurel only")));
        }
        if (io.laurel.events.SystemTypes.CHALLENGE_COMPLETED.equals(event.eventType())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "SYSTEM_EVENT_TYPE", "System event type",
                    "Events of 'challenge.completed' are written by Laurel when a user completes a challenge.",
                    List.of(new FieldError("/event_type", "is written by Laurel only")));
        }
        if (io.laurel.events.SystemTypes.SCORE_MANUAL.equals(event.eventType())
                && !scopes.contains(io.laurel.runtime.web.Scope.POINTS_WRITE.value())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE", "Insufficient scope",
                    "Events of 'score.manual' give points by hand: the API key needs the scope 'points:write'.");
        }
        return event;
    }

    EventAccepted validate(String tenant, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "INVALID_EVENT", "Invalid event",
                    "An event is a JSON object.", List.of(new FieldError("", "expected a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        String eventType = requiredText(body, "event_type", errors);
        String userId = userId(body, errors);
        JsonNode data = body.get("event_data");
        if (data == null || data.isNull()) {
            data = JsonNodeFactory.instance.objectNode();
        } else if (!data.isObject()) {
            errors.add(new FieldError("/event_data", "must be a JSON object"));
        }
        EventAction action = action(body, errors);
        String idempotenceKey = optionalText(body, "idempotence_key", errors);
        // times are kept to the microsecond, as PostgreSQL stores them: the event log, the journal and the topic
        // then hold the same instant (a nanosecond clock's time rounded by the database could fall after it)
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant occurredAt = occurredAt(body, now, errors);
        List<String> groups = groups(body, errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "INVALID_EVENT", "Invalid event",
                    "The event envelope has " + errors.size() + " invalid field(s).", errors);
        }
        EventTypeDefinition type = eventTypes.apply(tenant, eventType).orElseThrow(() -> new ProblemException(
                HttpStatus.BAD_REQUEST, "EVENT_TYPE_NOT_DECLARED", "Event type not declared",
                "Event type '" + eventType + "' is not declared for this tenant; declare it with POST /v1/admin/event-types.",
                List.of(new FieldError("/event_type", "not declared"))));
        List<CompiledSchemas.Violation> violations = schemas.validate(type, data);
        if (!violations.isEmpty()) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "SCHEMA_VIOLATION", "Schema violation",
                    "event_data does not match the schema of '" + eventType + "' (version " + type.version() + ").",
                    violations.stream().map(v -> new FieldError("/event_data" + v.pointer(), v.message())).toList());
        }
        return new EventAccepted(Ids.timeOrdered().toString(), tenant, eventType, type.version(), userId, data, action,
                idempotenceKey, occurredAt, now, groups, catalogPosition == null ? null : catalogPosition.getAsLong());
    }

    private static String requiredText(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            errors.add(new FieldError("/" + field, "is required"));
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(new FieldError("/" + field, "must be a non-empty string"));
            return null;
        }
        if (v.asText().length() > MAX_ID_LENGTH) {
            errors.add(new FieldError("/" + field, "must be at most " + MAX_ID_LENGTH + " characters"));
            return null;
        }
        return v.asText();
    }

    /** user_id is a string; an integer is accepted and kept as its decimal string. */
    private static String userId(JsonNode body, List<FieldError> errors) {
        JsonNode v = body.get("user_id");
        if (v != null && v.isIntegralNumber()) {
            return v.asText();
        }
        String id = requiredText(body, "user_id", errors);
        if (id != null && id.indexOf('/') >= 0) {
            errors.add(new FieldError("/user_id", "must not contain '/'"));
            return null;
        }
        return id;
    }

    private static String optionalText(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > MAX_ID_LENGTH) {
            errors.add(new FieldError("/" + field, "must be a string of 1 to " + MAX_ID_LENGTH + " characters"));
            return null;
        }
        return v.asText();
    }

    private static EventAction action(JsonNode body, List<FieldError> errors) {
        JsonNode v = body.get("event_action");
        if (v == null || v.isNull()) {
            return EventAction.CREATE;
        }
        try {
            if (!v.isTextual()) {
                throw new IllegalArgumentException("not a string");
            }
            return EventAction.fromWire(v.asText());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("/event_action", "must be 'create' or 'remove'"));
            return null;
        }
    }

    private Instant occurredAt(JsonNode body, Instant now, List<FieldError> errors) {
        JsonNode v = body.get("occurred_at");
        if (v == null || v.isNull()) {
            return now;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError("/occurred_at", "must be an ISO-8601 date-time string"));
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("/occurred_at", "must be an ISO-8601 date-time with an offset, e.g. 2026-05-01T10:00:00Z"));
            return null;
        }
        if (at.isAfter(now.plus(maxFutureSkew))) {
            errors.add(new FieldError("/occurred_at", "lies in the future (more than " + maxFutureSkew.toSeconds()
                    + " s ahead of the server clock)"));
            return null;
        }
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    private static List<String> groups(JsonNode body, List<FieldError> errors) {
        JsonNode v = body.get("groups");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > MAX_GROUPS) {
            errors.add(new FieldError("/groups", "must be an array of at most " + MAX_GROUPS + " strings"));
            return List.of();
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode g = v.get(i);
            if (!g.isTextual() || g.asText().isBlank() || g.asText().length() > MAX_ID_LENGTH) {
                errors.add(new FieldError("/groups/" + i, "must be a non-empty string"));
            } else {
                groups.add(g.asText());
            }
        }
        return groups;
    }
}
