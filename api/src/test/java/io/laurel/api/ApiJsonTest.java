package io.laurel.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The records read and write the JSON of API.md. */
class ApiJsonTest {
    @Test
    void anEventIsWrittenInSnakeCaseWithoutAbsentFields() throws Exception {
        String json = ApiJson.mapper().writeValueAsString(Event.of("deposit_made", "42", Map.of("amount", 100))
                .withIdempotenceKey("order-1").withOccurredAt(Instant.parse("2026-05-01T10:00:00Z")));
        assertThat(ApiJson.mapper().readTree(json)).isEqualTo(ApiJson.mapper().readTree("""
                {"event_type":"deposit_made","user_id":"42","event_data":{"amount":100},"idempotence_key":"order-1",
                 "occurred_at":"2026-05-01T10:00:00Z"}"""));
    }

    @Test
    void aRemovalReversesTheSameEvent() {
        Event e = Event.of("like", "u", Map.of("post", "p1")).removal();
        assertThat(e.eventAction()).isEqualTo("remove");
        assertThat(e.eventType()).isEqualTo("like");
    }

    @Test
    void aProblemWithFieldErrorsIsRead() throws Exception {
        Problem p = ApiJson.mapper().readValue("""
                {"type":"about:blank","title":"Unprocessable","status":422,"detail":"bad","code":"SCHEMA_VIOLATION",
                 "errors":[{"pointer":"/event_data/amount","message":"expected number"}],"instance":"/v1/events"}""",
                Problem.class);
        assertThat(p.status()).isEqualTo(422);
        assertThat(p.code()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(p.errors()).containsExactly(new FieldError("/event_data/amount", "expected number"));
    }

    @Test
    void unknownFieldsOfANewerPlatformAreIgnored() throws Exception {
        Balance b = ApiJson.mapper().readValue("""
                {"currency":"points","earned":10,"redeemed":2,"available":8,"held":0,"next_feature":true}""", Balance.class);
        assertThat(b).isEqualTo(new Balance("points", 10, 2, 8, 0L));
    }

    @Test
    void anEventTypesSystemFlagAndARebuildsSwitchUseTheirApiNames() throws Exception {
        EventType t = ApiJson.mapper().readValue("""
                {"id":"x","name":"score.manual","is_system":true,"version":1,"created_at":"2026-01-01T00:00:00Z"}""",
                EventType.class);
        assertThat(t.isSystem()).isTrue();
        assertThat(t.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(ApiJson.mapper().writeValueAsString(new RebuildRequest("manual"))).isEqualTo("{\"switch\":\"manual\"}");
    }

    @Test
    void aRecalculationsTotalsAndChangesAreRead() throws Exception {
        Recalculation r = ApiJson.mapper().readValue("""
                {"id":"r1","status":"ready","from":"2026-01-01T00:00:00Z","to":null,"events_scanned":5,"progress":1.0,
                 "eta_seconds":0,"users_changed":2,"entries_changed":3,
                 "totals":[{"currency":"points","points_gained":30,"points_lost":0,"net":30}]}""", Recalculation.class);
        assertThat(r.settled()).isTrue();
        assertThat(r.totals()).containsExactly(new CurrencyTotal("points", 30, 0, 30));
        assertThat(new Recalculation("r", "running", null, null, null, null, 0, null, null, null, 0, 0, 0, 0, 0, List.of(),
                null, null, null, null).settled()).isFalse();
        assertThat(ApiJson.mapper().writeValueAsString(r)).contains("\"to\":null", "\"error\":null");
    }
}
