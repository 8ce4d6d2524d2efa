package io.laurel.events.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.EventEnvelope;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.ApiKeyDefinition;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.events.catalog.RuleCap;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.time.CalendarPeriod;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSerdeTest {
    private static final String TOPIC = "laurel.test";
    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    private static final Instant UPDATED = Instant.parse("2026-04-30T23:59:59.123456789Z");

    private static ObjectNode data() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("amount", 12.5);
        data.put("currency", "EUR");
        data.putArray("tags").add("a").add(7);
        data.putObject("nested").put("ok", true).putNull("nothing");
        return data;
    }

    private static EventAccepted accepted() {
        return new EventAccepted("0190a1b2-0000-7000-8000-000000000001", "acme", "purchase", 3, "user-42", data(),
                EventAction.REMOVE, "idem-1", Instant.parse("2026-05-01T08:00:00Z"),
                Instant.parse("2026-05-01T10:00:00.5Z"), List.of("team-a", "team-b"));
    }

    private static PointsEntry entry(String recalculation) {
        return new PointsEntry("entry-1", "acme", "user-42", "evt-1", "rule-1", 2, -40, "coins", PointsEntryKind.REVOKED,
                Instant.parse("2026-05-01T08:00:00Z"), Instant.parse("2026-05-01T10:00:00Z"), "Revoked: Purchase",
                List.of("team-a"), recalculation, "purchase", "entry-0");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static JsonNode tree(byte[] bytes) throws Exception {
        return LaurelJson.mapper().readTree(bytes);
    }

    private static <T> T roundTrip(Class<T> type, T value) {
        JsonSerde<T> serde = new JsonSerde<>(type);
        return serde.deserialize(TOPIC, serde.serialize(TOPIC, value));
    }

    @Test
    void eventAcceptedRoundTrips() {
        EventAccepted event = accepted();

        assertThat(roundTrip(EventAccepted.class, event)).isEqualTo(event);
    }

    @Test
    void eventAcceptedIsWrittenInSnakeCase() throws Exception {
        byte[] bytes = new JsonSerde<>(EventAccepted.class).serialize(TOPIC, accepted());

        assertThat(text(bytes)).contains("\"event_id\"", "\"event_type\"", "\"event_type_version\"", "\"user_id\"",
                "\"event_data\"", "\"event_action\"", "\"idempotence_key\"", "\"occurred_at\"", "\"received_at\"",
                "\"groups\"").doesNotContain("eventType", "userId", "occurredAt");
        JsonNode json = tree(bytes);
        assertThat(json.get("event_action").asText()).isEqualTo("remove");
        assertThat(json.get("occurred_at").asText()).isEqualTo("2026-05-01T08:00:00Z");
        assertThat(json.get("event_type_version").asInt()).isEqualTo(3);
    }

    @Test
    void eventDataFieldNamesAreKeptAsSent() throws Exception {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("orderTotal", 3).put("Some-Key", "x");
        EventAccepted event = new EventAccepted("e", "acme", "purchase", 1, "u", data, EventAction.CREATE, null,
                CREATED, CREATED, List.of());

        byte[] bytes = new JsonSerde<>(EventAccepted.class).serialize(TOPIC, event);

        assertThat(tree(bytes).get("event_data").fieldNames()).toIterable().containsExactly("orderTotal", "Some-Key");
        assertThat(roundTrip(EventAccepted.class, event).eventData()).isEqualTo(data);
    }

    @Test
    void eventAcceptedNullFieldsAreLeftOutAndReadBackAsNull() throws Exception {
        EventAccepted event = new EventAccepted("e", "acme", "purchase", 1, "u", data(), EventAction.CREATE, null,
                CREATED, CREATED, List.of());

        byte[] bytes = new JsonSerde<>(EventAccepted.class).serialize(TOPIC, event);

        assertThat(tree(bytes).has("idempotence_key")).isFalse();
        assertThat(roundTrip(EventAccepted.class, event)).isEqualTo(event);
    }

    @Test
    void eventAcceptedWithoutActionOrGroupsReadsAsCreateWithNoGroups() {
        byte[] bytes = ("{\"event_id\":\"e\",\"tenant\":\"acme\",\"event_type\":\"t\",\"event_type_version\":1,"
                + "\"user_id\":\"u\",\"occurred_at\":\"2026-05-01T08:00:00Z\",\"received_at\":\"2026-05-01T08:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8);

        EventAccepted event = new JsonSerde<>(EventAccepted.class).deserialize(TOPIC, bytes);

        assertThat(event.eventAction()).isEqualTo(EventAction.CREATE);
        assertThat(event.groups()).isEmpty();
        assertThat(event.userId()).isEqualTo("u");
    }

    @Test
    void unknownFieldsAreTolerated() {
        byte[] bytes = ("{\"event_id\":\"e\",\"tenant\":\"acme\",\"event_type\":\"t\",\"user_id\":\"u\","
                + "\"added_later\":{\"x\":1}}").getBytes(StandardCharsets.UTF_8);

        assertThat(new JsonSerde<>(EventAccepted.class).deserialize(TOPIC, bytes).eventId()).isEqualTo("e");
    }

    @Test
    void eventEnvelopeRoundTrips() {
        EventEnvelope envelope = new EventEnvelope("purchase", "user-1", data(), EventAction.CREATE, "k",
                Instant.parse("2026-05-01T08:00:00Z"), List.of("g"));

        assertThat(roundTrip(EventEnvelope.class, envelope)).isEqualTo(envelope);
    }

    @Test
    void pointsEntryRoundTrips() {
        PointsEntry entry = entry("recalc-7");

        assertThat(roundTrip(PointsEntry.class, entry)).isEqualTo(entry);
    }

    @Test
    void pointsEntryWithoutRecalculationRoundTrips() {
        PointsEntry entry = entry(null);

        assertThat(roundTrip(PointsEntry.class, entry)).isEqualTo(entry);
    }

    @Test
    void pointsEntryIsWrittenInSnakeCaseWithWireKind() throws Exception {
        byte[] bytes = new JsonSerde<>(PointsEntry.class).serialize(TOPIC, entry(null));

        assertThat(text(bytes)).contains("\"entry_id\"", "\"user_id\"", "\"event_id\"", "\"rule_id\"",
                "\"rule_version\"", "\"occurred_at\"", "\"recorded_at\"").doesNotContain("\"recalculation\"");
        assertThat(tree(bytes).get("kind").asText()).isEqualTo("revoked");
        assertThat(tree(bytes).get("points").asLong()).isEqualTo(-40);
    }

    @Test
    void tenantDefinitionRoundTripsAsCatalogDefinition() {
        assertPolymorphicRoundTrip(new TenantDefinition("acme", "Acme Corp", "Europe/Zurich", 2, CREATED, UPDATED), "tenant");
    }

    @Test
    void apiKeyDefinitionRoundTripsAsCatalogDefinition() {
        ApiKeyDefinition key = new ApiKeyDefinition("acme", "key-1", "Backend", "ab12cd", Set.of("events:write",
                "admin"), true, 1, CREATED, UPDATED);

        assertPolymorphicRoundTrip(key, "api-key");
    }

    @Test
    void eventTypeDefinitionRoundTripsAsCatalogDefinition() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putArray("required").add("amount");
        schema.putObject("properties").putObject("amount").put("type", "number");
        EventTypeDefinition type = new EventTypeDefinition("acme", "et-1", "purchase", "A purchase", false, schema, 4,
                CREATED, UPDATED);

        assertPolymorphicRoundTrip(type, "event-type");
    }

    @Test
    void ruleDefinitionRoundTripsAsCatalogDefinition() {
        RuleDefinition v1 = new RuleDefinition("acme", "rule-1", "Purchase", "purchase", 20, "coins", null, null,
                null, false, true, 1, CREATED, CREATED, null);
        RuleDefinition rule = new RuleDefinition("acme", "rule-1", "Purchase", "purchase", 40, "coins",
                "amount >= 10", "amount * 2", new RuleCap(CalendarPeriod.DAY, 100L, null), true, true, 3, CREATED,
                UPDATED, List.of(v1));

        assertPolymorphicRoundTrip(rule, "rule");
        assertThat(text(new JsonSerde<>(CatalogDefinition.class).serialize(TOPIC, rule)))
                .contains("\"cap\":{\"period\":\"day\",\"max_points\":100}", "\"previous_versions\":[{");
    }

    @Test
    void ruleDefinitionWithoutOptionalPartsRoundTrips() {
        RuleDefinition rule = new RuleDefinition("acme", "rule-1", "Login", "login", 1, "points", null, null, null,
                false, false, 1, CREATED, UPDATED, null);

        assertPolymorphicRoundTrip(rule, "rule");
    }

    @Test
    void leaderboardDefinitionRoundTripsAsCatalogDefinition() {
        assertPolymorphicRoundTrip(new LeaderboardDefinition("acme", "weekly", "Weekly", "coins", "weekly",
                "Europe/Paris", "group", "dense", java.time.LocalDate.parse("2026-01-01"), null, true, true, 2, CREATED,
                UPDATED), "leaderboard");
        assertPolymorphicRoundTrip(LeaderboardDefinition.allTime("acme"), "leaderboard");
    }

    @Test
    void catalogDefinitionIsWrittenInSnakeCase() {
        RuleDefinition rule = new RuleDefinition("acme", "rule-1", "Purchase", "purchase", 40, "coins", null,
                "amount", null, false, true, 3, CREATED, UPDATED, null);

        String json = text(new JsonSerde<>(CatalogDefinition.class).serialize(TOPIC, rule));

        assertThat(json).contains("\"event_type\"", "\"points_expression\"", "\"created_at\"", "\"updated_at\"")
                .doesNotContain("eventType", "pointsExpression", "createdAt");
    }

    @Test
    void catalogDefinitionKindDecidesTheSubtypeRead() {
        byte[] bytes = ("{\"kind\":\"tenant\",\"tenant\":\"acme\",\"name\":\"Acme\",\"version\":1,"
                + "\"created_at\":\"2026-01-02T03:04:05Z\",\"updated_at\":\"2026-01-02T03:04:05Z\"}")
                .getBytes(StandardCharsets.UTF_8);

        CatalogDefinition read = new JsonSerde<>(CatalogDefinition.class).deserialize(TOPIC, bytes);

        assertThat(read).isInstanceOf(TenantDefinition.class);
        assertThat(read.kind()).isEqualTo("tenant");
        assertThat(read.id()).isEqualTo("acme");
        assertThat(read.updatedAt()).isEqualTo(CREATED);
    }

    @Test
    void catalogDefinitionOfUnknownKindIsASerializationError() {
        byte[] bytes = "{\"kind\":\"spaceship\",\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new JsonSerde<>(CatalogDefinition.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining(TOPIC);
    }

    @Test
    void catalogDefinitionWithoutKindIsASerializationError() {
        byte[] bytes = "{\"tenant\":\"acme\",\"name\":\"Acme\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new JsonSerde<>(CatalogDefinition.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void nullIsATombstoneWhenWriting() {
        assertThat(new JsonSerde<>(CatalogDefinition.class).serialize(TOPIC, null)).isNull();
        assertThat(new JsonSerde<>(EventAccepted.class).serialize(TOPIC, null)).isNull();
    }

    @Test
    void nullIsATombstoneWhenReading() {
        assertThat(new JsonSerde<>(CatalogDefinition.class).deserialize(TOPIC, null)).isNull();
        assertThat(new JsonSerde<>(PointsEntry.class).deserialize(TOPIC, null)).isNull();
    }

    @Test
    void malformedBytesAreASerializationError() {
        byte[] bytes = "{\"event_id\": ".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new JsonSerde<>(EventAccepted.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("EventAccepted")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void binaryGarbageIsASerializationError() {
        byte[] bytes = {(byte) 0xff, 0x00, 0x13, 0x37};

        assertThatThrownBy(() -> new JsonSerde<>(PointsEntry.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void wrongValueTypeIsASerializationError() {
        byte[] bytes = "{\"entry_id\":\"e\",\"points\":\"many\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new JsonSerde<>(PointsEntry.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void unknownEventActionIsASerializationError() {
        byte[] bytes = "{\"event_id\":\"e\",\"event_action\":\"explode\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new JsonSerde<>(EventAccepted.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void serdeIsItsOwnSerializerAndDeserializer() {
        JsonSerde<PointsEntry> serde = new JsonSerde<>(PointsEntry.class);

        assertThat(serde.serializer()).isSameAs(serde);
        assertThat(serde.deserializer()).isSameAs(serde);
        assertThat(serde.type()).isEqualTo(PointsEntry.class);
    }

    private static void assertPolymorphicRoundTrip(CatalogDefinition definition, String kind) {
        JsonSerde<CatalogDefinition> serde = new JsonSerde<>(CatalogDefinition.class);

        byte[] bytes = serde.serialize(TOPIC, definition);
        CatalogDefinition read = serde.deserialize(TOPIC, bytes);

        assertThat(read).isEqualTo(definition).isExactlyInstanceOf(definition.getClass());
        assertThat(read.kind()).isEqualTo(kind);
        assertThat(read.key()).isEqualTo(definition.key());
        try {
            JsonNode json = tree(bytes);
            assertThat(json.get("kind").asText()).isEqualTo(kind);
            assertThat(json.has("updated_at")).isTrue();
            assertThat(json.has("updatedAt")).isFalse();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
