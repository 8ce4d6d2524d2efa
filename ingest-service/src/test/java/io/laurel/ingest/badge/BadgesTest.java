package io.laurel.ingest.badge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BadgesTest {

    private static JsonNode json(String s) throws Exception {
        return LaurelJson.mapper().readTree(s);
    }

    private static List<String> pointers(String body) {
        try {
            Badges.validate(json(body));
        } catch (ProblemException e) {
            return e.errors().stream().map(ProblemException.FieldError::pointer).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void aCountBadgeIsNormalisedAndReadBack() throws Exception {
        ObjectNode body = Badges.validate(json("{\"name\":\"Regular\",\"kind\":\"count\",\"event_type\":\"visit\","
                + "\"threshold\":5,\"repeatable\":true,\"condition\":\"amount>3\",\"expires_after\":\"P30D\"}"));
        BadgeDefinition b = Badges.toDefinition("acme", "regular", body, true, 2, Instant.EPOCH, Instant.EPOCH);
        assertThat(b.badgeKind()).isEqualTo("count");
        assertThat(b.threshold()).isEqualTo(5);
        assertThat(b.repeatable()).isTrue();
        assertThat(b.condition()).isEqualTo("amount>3");
        assertThat(b.validity()).isEqualTo(java.time.Period.ofDays(30));
        assertThat(b.version()).isEqualTo(2);
        assertThat(Badges.view(b).get("kind").asText()).isEqualTo("count");
        assertThat(Badges.view(b).has("badge_kind")).isFalse();
    }

    @Test
    void attendanceSessionsKeepTheirWindowsAndTracks() throws Exception {
        ObjectNode body = Badges.validate(json("{\"kind\":\"attendance\",\"event_type\":\"watch\",\"sessions\":["
                + "{\"id\":\"s1\",\"start\":\"2026-07-04T16:00:00+05:30\",\"end\":\"2026-07-04T17:00:00+05:30\",\"track\":2}]}"));
        BadgeDefinition b = Badges.toDefinition("acme", "a", body, true, 1, Instant.EPOCH, Instant.EPOCH);
        assertThat(b.sessions()).containsExactly(new BadgeDefinition.Session("s1", Instant.parse("2026-07-04T10:30:00Z"),
                Instant.parse("2026-07-04T11:30:00Z"), "2"));
    }

    @Test
    void eachBadFieldHasItsPointer() {
        assertThat(pointers("{\"kind\":\"nope\"}")).containsExactly("/kind");
        assertThat(pointers("{\"kind\":\"count\"}")).contains("/event_type", "/threshold");
        assertThat(pointers("{\"kind\":\"count\",\"event_type\":\"v\",\"threshold\":0}")).containsExactly("/threshold");
        assertThat(pointers("{\"kind\":\"count\",\"event_type\":\"v\",\"threshold\":2.5}")).containsExactly("/threshold");
        assertThat(pointers("{\"kind\":\"first\",\"event_type\":\"v\",\"condition\":\"a >\"}")).containsExactly("/condition");
        assertThat(pointers("{\"kind\":\"first\",\"event_type\":\"v\",\"repeatable\":true}")).containsExactly("/repeatable");
        assertThat(pointers("{\"kind\":\"streak\",\"event_type\":\"v\",\"threshold\":3,\"streak_unit\":\"month\"}"))
                .containsExactly("/streak_unit");
        assertThat(pointers("{\"kind\":\"manual\",\"expires_after\":\"30 days\"}")).containsExactly("/expires_after");
        assertThat(pointers("{\"kind\":\"manual\",\"image_url\":\"javascript:alert(1)\"}")).containsExactly("/image_url");
        assertThat(pointers("{\"kind\":\"attendance\",\"event_type\":\"v\"}")).containsExactly("/sessions");
        assertThat(pointers("{\"kind\":\"attendance\",\"event_type\":\"v\",\"sessions\":[{\"id\":\"a\",\"start\":"
                + "\"2026-07-04T10:00:00Z\",\"end\":\"2026-07-04T10:00:00Z\"},{\"id\":\"a\",\"start\":\"x\",\"end\":"
                + "\"2026-07-04T10:00:00Z\"}]}")).containsExactly("/sessions/0/end", "/sessions/1/id", "/sessions/1/start");
        assertThat(pointers("{\"kind\":\"manual\",\"name\":7}")).containsExactly("/name");
    }

    @Test
    void idsAreChecked() throws Exception {
        assertThat(Badges.id(json("{\"id\":\"easter.egg-1\"}"))).isEqualTo("easter.egg-1");
        assertThatThrownBy(() -> Badges.id(json("{\"id\":\"has space\"}"))).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Badges.id(json("{}"))).isInstanceOf(ProblemException.class);
    }
}
