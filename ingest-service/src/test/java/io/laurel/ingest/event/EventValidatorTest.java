package io.laurel.ingest.event;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.ingest.eventtype.CompiledSchemas;
import io.laurel.runtime.web.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventValidatorTest {
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final String TENANT = "acme";

    private static final EventTypeDefinition PURCHASE = new EventTypeDefinition(TENANT, "et-purchase", "purchase",
            "A purchase", false, json("{'type':'object','required':['amount'],'properties':{"
            + "'amount':{'type':'number','minimum':0},'currency':{'type':'string'},'quantity':{'type':'integer'}}}"),
            3, NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)));
    private static final EventTypeDefinition LOGIN = new EventTypeDefinition(TENANT, "et-login", "login", null, false,
            json("{'type':'object'}"), 1, NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(10)));

    private final EventValidator validator = new EventValidator(
            (tenant, type) -> !TENANT.equals(tenant) ? Optional.empty()
                    : switch (type) {
                        case "purchase" -> Optional.of(PURCHASE);
                        case "login" -> Optional.of(LOGIN);
                        default -> Optional.empty();
                    },
            new CompiledSchemas(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A valid purchase, with some fields replaced or added ({@code null} removes the field). */
    private static ObjectNode purchase(Object... fieldsAndValues) {
        ObjectNode body = (ObjectNode) json("{'event_type':'purchase','user_id':'user-42',"
                + "'event_data':{'amount':12.5,'currency':'EUR'}}");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            String field = (String) fieldsAndValues[i];
            Object value = fieldsAndValues[i + 1];
            if (value == null) {
                body.remove(field);
            } else if (value instanceof JsonNode node) {
                body.set(field, node);
            } else {
                body.set(field, JSON.valueToTree(value));
            }
        }
        return body;
    }

    private EventAccepted accepted(JsonNode body) {
        return validator.validate(TENANT, body);
    }

    private ProblemException rejected(JsonNode body) {
        return rejected(TENANT, body);
    }

    private ProblemException rejected(String tenant, JsonNode body) {
        try {
            validator.validate(tenant, body);
        } catch (ProblemException e) {
            return e;
        }
        throw new AssertionError("expected the event to be rejected: " + body);
    }

    private static List<String> pointers(ProblemException e) {
        return e.errors().stream().map(ProblemException.FieldError::pointer).toList();
    }

    private static void assertInvalidEnvelope(ProblemException e, String... pointers) {
        assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(e.code()).isEqualTo("INVALID_EVENT");
        assertThat(pointers(e)).containsExactly(pointers);
        assertThat(e.errors()).allSatisfy(err -> assertThat(err.message()).isNotBlank());
    }

    // --- accepted events ---

    @Test
    void validEventBecomesEventAcceptedWithItsEnvelopeFields() {
        EventAccepted event = accepted(purchase());

        assertThat(event.tenant()).isEqualTo(TENANT);
        assertThat(event.eventType()).isEqualTo("purchase");
        assertThat(event.userId()).isEqualTo("user-42");
        assertThat(event.eventData()).isEqualTo(json("{'amount':12.5,'currency':'EUR'}"));
        assertThat(event.idempotenceKey()).isNull();
        assertThat(event.groups()).isEmpty();
        assertThat(event.key()).isEqualTo("acme/user-42");
    }

    @Test
    void acceptedEventCarriesTheVersionOfItsType() {
        assertThat(accepted(purchase()).eventTypeVersion()).isEqualTo(3);
        assertThat(accepted(purchase("event_type", "login")).eventTypeVersion()).isEqualTo(1);
    }

    @Test
    void eventIdIsATimeOrderedUuid() {
        UUID id = UUID.fromString(accepted(purchase()).eventId());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void everyAcceptedEventGetsItsOwnId() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(accepted(purchase()).eventId());
        }
        assertThat(ids).hasSize(100);
    }

    @Test
    void receivedAtIsTheClock() {
        assertThat(accepted(purchase()).receivedAt()).isEqualTo(NOW);
    }

    @Test
    void occurredAtDefaultsToTheClock() {
        assertThat(accepted(purchase()).occurredAt()).isEqualTo(NOW);
    }

    @Test
    void nullOccurredAtDefaultsToTheClock() {
        assertThat(accepted(purchase("occurred_at", NullNode.getInstance())).occurredAt()).isEqualTo(NOW);
    }

    @Test
    void givenOccurredAtIsKept() {
        EventAccepted event = accepted(purchase("occurred_at", "2026-05-01T09:30:00Z"));

        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-05-01T09:30:00Z"));
        assertThat(event.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void occurredAtIsKeptToTheMicrosecondAsTheDatabaseKeepsIt() {
        EventAccepted event = accepted(purchase("occurred_at", "2026-05-01T09:15:30.123456789Z"));

        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-05-01T09:15:30.123456Z"));
    }

    @Test
    void theClocksTimeIsKeptToTheMicrosecond() {
        Instant nanos = Instant.parse("2026-05-01T09:15:30.999999999Z");
        EventValidator atNanos = new EventValidator((tenant, type) -> Optional.of(PURCHASE), new CompiledSchemas(),
                Clock.fixed(nanos, ZoneOffset.UTC), Duration.ofMinutes(5));

        EventAccepted event = atNanos.validate(TENANT, purchase());

        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-05-01T09:15:30.999999Z"));
        assertThat(event.receivedAt()).isEqualTo(event.occurredAt());
    }

    @Test
    void occurredAtWithAnOffsetIsNormalisedToItsInstant() {
        EventAccepted event = accepted(purchase("occurred_at", "2026-05-01T11:15:30.250+02:00"));

        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-05-01T09:15:30.250Z"));
    }

    @Test
    void occurredAtInThePastIsAcceptedAsBackfill() {
        assertThat(accepted(purchase("occurred_at", "2024-01-15T08:00:00Z")).occurredAt())
                .isEqualTo(Instant.parse("2024-01-15T08:00:00Z"));
        assertThat(accepted(purchase("occurred_at", "1999-12-31T23:59:59Z")).occurredAt())
                .isEqualTo(Instant.parse("1999-12-31T23:59:59Z"));
    }

    @Test
    void occurredAtSlightlyAheadWithinTheClockSkewIsAccepted() {
        assertThat(accepted(purchase("occurred_at", "2026-05-01T10:04:00Z")).occurredAt())
                .isEqualTo(Instant.parse("2026-05-01T10:04:00Z"));
    }

    @Test
    void occurredAtExactlyAtTheClockSkewIsAccepted() {
        assertThat(accepted(purchase("occurred_at", "2026-05-01T10:05:00Z")).occurredAt())
                .isEqualTo(Instant.parse("2026-05-01T10:05:00Z"));
    }

    @Test
    void groupsAreKeptInOrder() {
        EventAccepted event = accepted(purchase("groups", List.of("team-b", "team-a", "emea")));

        assertThat(event.groups()).containsExactly("team-b", "team-a", "emea");
    }

    @Test
    void nullGroupsMeanNoGroups() {
        assertThat(accepted(purchase("groups", NullNode.getInstance())).groups()).isEmpty();
    }

    @Test
    void fiftyGroupsAreAccepted() {
        List<String> groups = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "g" + i).toList();

        assertThat(accepted(purchase("groups", groups)).groups()).hasSize(50);
    }

    @Test
    void actionDefaultsToCreate() {
        assertThat(accepted(purchase()).eventAction()).isEqualTo(EventAction.CREATE);
        assertThat(accepted(purchase("event_action", NullNode.getInstance())).eventAction())
                .isEqualTo(EventAction.CREATE);
    }

    @Test
    void createActionIsAccepted() {
        assertThat(accepted(purchase("event_action", "create")).eventAction()).isEqualTo(EventAction.CREATE);
    }

    @Test
    void removeActionIsAccepted() {
        assertThat(accepted(purchase("event_action", "remove")).eventAction()).isEqualTo(EventAction.REMOVE);
    }

    @Test
    void actionIsCaseInsensitive() {
        assertThat(accepted(purchase("event_action", "REMOVE")).eventAction()).isEqualTo(EventAction.REMOVE);
    }

    @Test
    void idempotenceKeyIsKept() {
        assertThat(accepted(purchase("idempotence_key", "order-123")).idempotenceKey()).isEqualTo("order-123");
    }

    @Test
    void idempotenceKeyOfTwoHundredCharactersIsAccepted() {
        String key = "k".repeat(200);

        assertThat(accepted(purchase("idempotence_key", key)).idempotenceKey()).isEqualTo(key);
    }

    @Test
    void integerUserIdIsAcceptedAsItsDecimalString() {
        assertThat(accepted(purchase("user_id", 12345)).userId()).isEqualTo("12345");
        assertThat(accepted(purchase("user_id", 9_007_199_254_740_993L)).userId()).isEqualTo("9007199254740993");
    }

    @Test
    void absentEventDataIsAnEmptyObject() {
        EventAccepted event = accepted(purchase("event_type", "login", "event_data", null));

        assertThat(event.eventData()).isEqualTo(JsonNodeFactory.instance.objectNode());
    }

    @Test
    void nullEventDataIsAnEmptyObject() {
        EventAccepted event = accepted(purchase("event_type", "login", "event_data", NullNode.getInstance()));

        assertThat(event.eventData()).isEqualTo(JsonNodeFactory.instance.objectNode());
    }

    @Test
    void integralDecimalIsAcceptedForAnIntegerField() {
        EventAccepted event = accepted(purchase("event_data", json("{'amount':1,'quantity':2.0}")));

        assertThat(event.eventData().get("quantity").asInt()).isEqualTo(2);
    }

    @Test
    void unknownEnvelopeFieldsAreIgnored() {
        assertThat(accepted(purchase("something_else", "x")).eventType()).isEqualTo("purchase");
    }

    // --- the body ---

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{'event_type':'purchase'}]", "'purchase'", "42", "true", "null"})
    void bodyThatIsNotAnObjectIsRejected(String body) {
        ProblemException e = rejected(json(body));

        assertInvalidEnvelope(e, "");
    }

    @Test
    void missingBodyIsRejected() {
        assertInvalidEnvelope(rejected(null), "");
    }

    // --- event_type ---

    @Test
    void missingEventTypeIsRejectedWithItsPointer() {
        ProblemException e = rejected(purchase("event_type", null));

        assertInvalidEnvelope(e, "/event_type");
        assertThat(e.errors().get(0).message()).contains("required");
    }

    @Test
    void nullEventTypeIsRejectedWithItsPointer() {
        assertInvalidEnvelope(rejected(purchase("event_type", NullNode.getInstance())), "/event_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankEventTypeIsRejectedWithItsPointer(String type) {
        assertInvalidEnvelope(rejected(purchase("event_type", type)), "/event_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "['purchase']", "{'name':'purchase'}"})
    void nonStringEventTypeIsRejectedWithItsPointer(String type) {
        assertInvalidEnvelope(rejected(purchase("event_type", json(type))), "/event_type");
    }

    @Test
    void overlongEventTypeIsRejectedWithItsPointer() {
        assertInvalidEnvelope(rejected(purchase("event_type", "t".repeat(201))), "/event_type");
    }

    // --- user_id ---

    @Test
    void missingUserIdIsRejectedWithItsPointer() {
        ProblemException e = rejected(purchase("user_id", null));

        assertInvalidEnvelope(e, "/user_id");
        assertThat(e.errors().get(0).message()).contains("required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void blankUserIdIsRejectedWithItsPointer(String userId) {
        assertInvalidEnvelope(rejected(purchase("user_id", userId)), "/user_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "true", "['u']", "{'id':'u'}"})
    void userIdThatIsNeitherStringNorIntegerIsRejected(String userId) {
        assertInvalidEnvelope(rejected(purchase("user_id", json(userId))), "/user_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "/user", "user/", "acme/user-42"})
    void userIdWithASlashIsRejected(String userId) {
        ProblemException e = rejected(purchase("user_id", userId));

        assertInvalidEnvelope(e, "/user_id");
        assertThat(e.errors().get(0).message()).contains("/");
    }

    @Test
    void overlongUserIdIsRejected() {
        assertInvalidEnvelope(rejected(purchase("user_id", "u".repeat(201))), "/user_id");
    }

    @Test
    void userIdOfTwoHundredCharactersIsAccepted() {
        assertThat(accepted(purchase("user_id", "u".repeat(200))).userId()).hasSize(200);
    }

    // --- event_data ---

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "'amount'", "12", "false"})
    void eventDataThatIsNotAnObjectIsRejected(String data) {
        assertInvalidEnvelope(rejected(purchase("event_data", json(data))), "/event_data");
    }

    // --- event_action ---

    @ParameterizedTest
    @ValueSource(strings = {"'delete'", "'update'", "''", "1", "true", "['remove']"})
    void badEventActionIsRejectedWithItsPointer(String action) {
        ProblemException e = rejected(purchase("event_action", json(action)));

        assertInvalidEnvelope(e, "/event_action");
        assertThat(e.errors().get(0).message()).contains("create").contains("remove");
    }

    // --- idempotence_key ---

    @ParameterizedTest
    @ValueSource(strings = {"123", "true", "['k']", "{'k':1}", "''"})
    void badIdempotenceKeyIsRejectedWithItsPointer(String key) {
        assertInvalidEnvelope(rejected(purchase("idempotence_key", json(key))), "/idempotence_key");
    }

    @Test
    void overlongIdempotenceKeyIsRejectedWithItsPointer() {
        assertInvalidEnvelope(rejected(purchase("idempotence_key", "k".repeat(201))), "/idempotence_key");
    }

    // --- occurred_at ---

    @ParameterizedTest
    @ValueSource(strings = {"1714557600", "1714557600000", "true", "['2026-05-01T10:00:00Z']", "{}"})
    void occurredAtThatIsNotAStringIsRejectedWithItsPointer(String value) {
        assertInvalidEnvelope(rejected(purchase("occurred_at", json(value))), "/occurred_at");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "2026-05-01", "2026-05-01T10:00:00", "2026-13-01T10:00:00Z",
            "01/05/2026 10:00", "2026-05-01 10:00:00Z"})
    void unparseableOccurredAtIsRejectedWithItsPointer(String value) {
        ProblemException e = rejected(purchase("occurred_at", value));

        assertInvalidEnvelope(e, "/occurred_at");
        assertThat(e.errors().get(0).message()).contains("ISO-8601");
    }

    @Test
    void occurredAtFarInTheFutureIsRejectedWithItsPointer() {
        ProblemException e = rejected(purchase("occurred_at", "2027-05-01T10:00:00Z"));

        assertInvalidEnvelope(e, "/occurred_at");
        assertThat(e.errors().get(0).message()).contains("future").contains("300 s");
    }

    @Test
    void occurredAtJustBeyondTheClockSkewIsRejected() {
        assertInvalidEnvelope(rejected(purchase("occurred_at", "2026-05-01T10:05:00.001Z")), "/occurred_at");
    }

    @Test
    void occurredAtInTheFutureThroughItsOffsetIsRejected() {
        // 08:10 at -02:00 reads like the past but is 10:10 UTC, ten minutes ahead of the clock.
        assertInvalidEnvelope(rejected(purchase("occurred_at", "2026-05-01T08:10:00-02:00")), "/occurred_at");
    }

    // --- groups ---

    @ParameterizedTest
    @ValueSource(strings = {"'team-a'", "12", "{'team':'a'}", "true"})
    void groupsThatAreNotAnArrayAreRejectedWithTheirPointer(String groups) {
        assertInvalidEnvelope(rejected(purchase("groups", json(groups))), "/groups");
    }

    @Test
    void moreThanFiftyGroupsAreRejected() {
        List<String> groups = java.util.stream.IntStream.range(0, 51).mapToObj(i -> "g" + i).toList();

        assertInvalidEnvelope(rejected(purchase("groups", groups)), "/groups");
    }

    @Test
    void nonStringGroupIsRejectedWithItsIndex() {
        assertInvalidEnvelope(rejected(purchase("groups", json("['team-a', 7]"))), "/groups/1");
    }

    @Test
    void everyBadGroupIsReportedWithItsIndex() {
        assertInvalidEnvelope(rejected(purchase("groups", json("[null, 'ok', '', {'a':1}, ' ', 'fine']"))),
                "/groups/0", "/groups/2", "/groups/3", "/groups/4");
    }

    @Test
    void overlongGroupIsRejectedWithItsIndex() {
        assertInvalidEnvelope(rejected(purchase("groups", List.of("ok", "g".repeat(201)))), "/groups/1");
    }

    // --- several errors ---

    @Test
    void severalErrorsAreAllReportedInEnvelopeOrder() {
        ObjectNode body = (ObjectNode) json("{'user_id':'a/b','event_data':[1],'event_action':'delete',"
                + "'idempotence_key':5,'occurred_at':'soon','groups':['ok',3]}");

        ProblemException e = rejected(body);

        assertInvalidEnvelope(e, "/event_type", "/user_id", "/event_data", "/event_action", "/idempotence_key",
                "/occurred_at", "/groups/1");
        assertThat(e.getMessage()).contains("7 invalid field(s)");
    }

    @Test
    void envelopeErrorsComeBeforeTheTypeIsLookedUp() {
        ProblemException e = rejected(purchase("event_type", "never-declared", "user_id", null));

        assertInvalidEnvelope(e, "/user_id");
    }

    @Test
    void envelopeErrorsComeBeforeSchemaErrors() {
        ProblemException e = rejected(purchase("event_data", json("{'amount':'ten'}"), "occurred_at", "nope"));

        assertInvalidEnvelope(e, "/occurred_at");
    }

    // --- the event type ---

    @Test
    void undeclaredTypeIsABadRequestNamingTheType() {
        ProblemException e = rejected(purchase("event_type", "refund"));

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.code()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
        assertThat(pointers(e)).containsExactly("/event_type");
        assertThat(e.getMessage()).contains("'refund'");
    }

    @Test
    void typeDeclaredOnlyByAnotherTenantIsNotDeclared() {
        ProblemException e = rejected("globex", purchase());

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.code()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
    }

    @Test
    void typeNamesAreCaseSensitive() {
        assertThat(rejected(purchase("event_type", "Purchase")).code()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
    }

    // --- event_data against the schema ---

    @Test
    void schemaViolationIsRejectedWithThePointerIntoEventData() {
        ProblemException e = rejected(purchase("event_data", json("{'amount':'ten','currency':'EUR'}")));

        assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(e.code()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(pointers(e)).containsExactly("/event_data/amount");
        assertThat(e.getMessage()).contains("'purchase'").contains("version 3");
    }

    @Test
    void missingRequiredFieldPointsAtTheField() {
        ProblemException e = rejected(purchase("event_data", json("{'currency':'EUR'}")));

        assertThat(e.code()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(pointers(e)).containsExactly("/event_data/amount");
    }

    @Test
    void absentEventDataIsCheckedAgainstTheSchema() {
        ProblemException e = rejected(purchase("event_data", null));

        assertThat(e.code()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(pointers(e)).containsExactly("/event_data/amount");
    }

    @Test
    void everySchemaViolationIsReported() {
        ProblemException e = rejected(purchase("event_data", json("{'amount':-1,'currency':5,'quantity':1.5}")));

        assertThat(e.code()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(pointers(e)).containsExactlyInAnyOrder("/event_data/amount", "/event_data/currency",
                "/event_data/quantity");
        assertThat(e.errors()).allSatisfy(err -> assertThat(err.message()).isNotBlank());
    }
}
