package io.laurel.ingest.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.json.LaurelJson;
import io.laurel.events.time.CalendarPeriod;
import io.laurel.runtime.web.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RulesTest {
    private static JsonNode json(String s) {
        try {
            return LaurelJson.mapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> pointers(String body) {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> Rules.validate(json(body)));
        assertThat(e).as("refused: " + body).isNotNull();
        assertThat(e.status().value()).isEqualTo(422);
        return e.errors().stream().map(ProblemException.FieldError::pointer).toList();
    }

    @Test
    void aFullRuleIsNormalisedAndReadBackAsItsDefinition() {
        ObjectNode body = Rules.validate(json("{\"name\":\"spend\",\"event_type\":\"purchase\",\"currency\":\"coins\","
                + "\"condition\":\"amount >= 10\",\"points_expression\":\"floor(amount / 10)\","
                + "\"cap\":{\"period\":\"daily\",\"max_points\":50,\"max_count\":3},\"once_per_user\":false}"));
        RuleDefinition r = Rules.toDefinition("acme", "r1", body, true, 2, Instant.EPOCH, Instant.EPOCH, null);
        assertThat(r.condition()).isEqualTo("amount >= 10");
        assertThat(r.pointsExpression()).isEqualTo("floor(amount / 10)");
        assertThat(r.cap().period()).isEqualTo(CalendarPeriod.DAY);
        assertThat(r.cap().maxPoints()).isEqualTo(50);
        assertThat(r.cap().maxCount()).isEqualTo(3);
        assertThat(r.currency()).isEqualTo("coins");
        assertThat(r.version()).isEqualTo(2);
    }

    @Test
    void currencyDefaultsToPointsAndOncePerUserToFalse() {
        RuleDefinition r = Rules.toDefinition("acme", "r1",
                Rules.validate(json("{\"name\":\"x\",\"event_type\":\"t\",\"points\":5}")), true, 1, Instant.EPOCH,
                Instant.EPOCH, null);
        assertThat(r.currency()).isEqualTo("points");
        assertThat(r.oncePerUser()).isFalse();
        assertThat(r.cap()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}                                                                         | /name,/event_type,/points",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":1.5}                        | /points",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":\"5\"}                      | /points",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points_expression\":\"amount *\"}    | /points_expression",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"condition\":\"a = 1\"}   | /condition",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"condition\":true}        | /condition",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"currency\":\"Gold\"}     | /currency",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"currency\":7}            | /currency",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"cap\":{\"period\":\"day\"}} | /cap",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"cap\":{\"period\":\"hour\",\"max_points\":5}} | /cap/period",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"cap\":{\"period\":\"day\",\"max_count\":0}} | /cap/max_count",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"cap\":5}                 | /cap",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5,\"once_per_user\":\"yes\"} | /once_per_user",
            "{\"name\":\"x\",\"event_type\":\"t\",\"points\":5000000000000}               | /points",
    })
    void invalidRulesNameEveryBadField(String body, String expected) {
        assertThat(pointers(body)).containsExactlyInAnyOrder(expected.split(","));
    }

    @Test
    void anExpressionWinsOverFixedPointsAndEmptyExpressionsAreNone() {
        RuleDefinition both = Rules.toDefinition("acme", "r1", Rules.validate(json("{\"name\":\"x\",\"event_type\":\"t\","
                + "\"points\":5,\"points_expression\":\"amount * 2\",\"condition\":\"\"}")), true, 1, Instant.EPOCH,
                Instant.EPOCH, null);
        assertThat(both.pointsExpression()).isEqualTo("amount * 2");
        assertThat(both.points()).isZero();
        assertThat(both.condition()).isNull();
        RuleDefinition blank = Rules.toDefinition("acme", "r1", Rules.validate(json("{\"name\":\"x\",\"event_type\":\"t\","
                + "\"points\":5,\"points_expression\":\" \",\"condition\":null,\"cap\":null}")), true, 1, Instant.EPOCH,
                Instant.EPOCH, null);
        assertThat(blank.pointsExpression()).isNull();
        assertThat(blank.points()).isEqualTo(5);
        assertThat(pointers("{\"name\":\"x\",\"event_type\":\"t\",\"points_expression\":\"\"}")).containsExactly("/points");
    }

    @Test
    void anExpressionErrorSaysWhere() {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> Rules.validate(json(
                "{\"name\":\"x\",\"event_type\":\"t\",\"points\":1,\"condition\":\"amount >= 10 && currency =! 'EUR'\"}")));
        assertThat(e.errors().get(0).message()).contains("at character 26");
    }
}
