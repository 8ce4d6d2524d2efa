package io.laurel.runtime.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.api.Checked;
import io.laurel.api.FieldError;
import io.laurel.api.NumberAsText;
import io.laurel.api.RateLimit;
import io.laurel.api.RedemptionRequest;
import io.laurel.api.TenantRequest;
import io.laurel.api.UserId;
import io.laurel.events.json.LaurelJson;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBinderTest {

    /** As the API names its values: lower case. */
    enum Kind { daily, weekly }

    record Step(@NotNull(message = "is required") String eventType, @Min(value = 1, message = "at least 1") Integer target) {
    }

    record Everything(@UserId @NumberAsText String userId, String note, Long points, int count, boolean flag, Boolean hold, Double ratio,
                      Instant from, LocalDate day, List<String> names, Map<String, Long> amounts, Kind kind,
                      @Valid List<Step> steps, JsonNode data) {
    }

    record Pair(@Size(min = 1, max = 3, message = "1 to 3 characters") String a,
                @NotEmpty(message = "at least one") List<@Size(max = 2, message = "at most 2") String> b) implements Checked {
        @Override
        public List<FieldError> check() {
            return "dup".equals(a) ? List.of(new FieldError("/a", "must differ")) : List.of();
        }
    }

    private static JsonNode json(String text) {
        try {
            return LaurelJson.mapper().readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<ProblemException.FieldError> errors(String body, Class<? extends Record> type) {
        try {
            RequestBinder.bind(json(body), type, "thing");
        } catch (ProblemException e) {
            assertThat(e.status().value()).isEqualTo(422);
            assertThat(e.code()).isEqualTo("VALIDATION_FAILED");
            return e.errors();
        }
        throw new AssertionError("bound without errors: " + body);
    }

    private static List<String> pointers(String body, Class<? extends Record> type) {
        return errors(body, type).stream().map(ProblemException.FieldError::pointer).toList();
    }

    @Test
    void bindsEveryKindOfComponentFromSnakeCase() {
        Everything e = RequestBinder.bind(json("""
                {'user_id': 'u-1', 'points': 12, 'count': 3, 'flag': true, 'hold': false, 'ratio': 1.5,
                 'from': '2026-05-01T10:00:00Z', 'day': '2026-05-02', 'names': ['a', 'b'], 'amounts': {'gold': 4},
                 'kind': 'daily', 'steps': [{'event_type': 'post', 'target': 2}], 'data': {'x': [1]},
                 'unknown_field': 'ignored'}"""), Everything.class, "thing");
        assertThat(e.userId()).isEqualTo("u-1");
        assertThat(e.points()).isEqualTo(12L);
        assertThat(e.count()).isEqualTo(3);
        assertThat(e.flag()).isTrue();
        assertThat(e.hold()).isFalse();
        assertThat(e.ratio()).isEqualTo(1.5);
        assertThat(e.from()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(e.day()).isEqualTo(LocalDate.of(2026, 5, 2));
        assertThat(e.names()).containsExactly("a", "b");
        assertThat(e.amounts()).containsEntry("gold", 4L);
        assertThat(e.kind()).isEqualTo(Kind.daily);
        assertThat(e.steps()).containsExactly(new Step("post", 2));
        assertThat(e.data().path("x").get(0).asInt()).isEqualTo(1);
    }

    @Test
    void missingAndNullBindToNullOrTheDefaultOfAPrimitive() {
        Everything e = RequestBinder.bind(json("{'user_id': 'u', 'points': null}"), Everything.class, "thing");
        assertThat(e.points()).isNull();
        assertThat(e.count()).isZero();
        assertThat(e.flag()).isFalse();
        assertThat(e.names()).isNull();
    }

    @Test
    void aWholeNumberIsTakenAsTextOnlyWhereTheRecordSaysSo() {
        Everything e = RequestBinder.bind(json("{'user_id': 42}"), Everything.class, "thing");
        assertThat(e.userId()).isEqualTo("42");
        assertThat(errors("{'user_id': 'u', 'note': 42}", Everything.class)).containsExactly(
                new ProblemException.FieldError("/note", "must be a string"));
        assertThat(errors("{'user_id': 4.5}", Everything.class)).containsExactly(
                new ProblemException.FieldError("/user_id", "must be a string"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "{'user_id': 'u', 'points': '12'}|/points|must be a whole number",
            "{'user_id': 'u', 'points': 1.5}|/points|must be a whole number",
            "{'user_id': 'u', 'points': true}|/points|must be a whole number",
            "{'user_id': 'u', 'count': 99999999999}|/count|must be a whole number",
            "{'user_id': 'u', 'flag': 1}|/flag|must be true or false",
            "{'user_id': 'u', 'hold': 'yes'}|/hold|must be true or false",
            "{'user_id': 'u', 'ratio': 'x'}|/ratio|must be a number",
            "{'user_id': 'u', 'from': 1714550400}|/from|must be an ISO-8601 time such as 2026-05-01T00:00:00Z",
            "{'user_id': 'u', 'from': 'yesterday'}|/from|must be an ISO-8601 time such as 2026-05-01T00:00:00Z",
            "{'user_id': 'u', 'day': '2026-13-01'}|/day|must be a date such as 2026-05-01",
            "{'user_id': 'u', 'names': 'a'}|/names|must be a list of strings",
            "{'user_id': 'u', 'names': ['a', {}]}|/names/1|must be a string",
            "{'user_id': 'u', 'amounts': {'gold': 'x'}}|/amounts/gold|must be a whole number",
            "{'user_id': 'u', 'amounts': []}|/amounts|must be an object",
            "{'user_id': 'u', 'kind': 'third'}|/kind|must be one of daily, weekly",
            "{'user_id': 'u', 'kind': 0}|/kind|must be one of daily, weekly",
            "{'user_id': 'u', 'steps': [{'event_type': 'a', 'target': 1}, {'event_type': 'b', 'target': 'x'}]}|/steps/1/target|must be a whole number",
            "{'user_id': 'u', 'steps': [{'target': 2}]}|/steps/0/event_type|is required",
            "{'user_id': 'u', 'steps': [{'event_type': 'a', 'target': 0}]}|/steps/0/target|at least 1",
            "{'user_id': 'u', 'user_id': true}|/user_id|must be a string",
            "{'points': 1}|/user_id|is required: a string of 1 to 200 characters without '/'",
            "{'user_id': ''}|/user_id|is required: a string of 1 to 200 characters without '/'",
            "{'user_id': 'a/b'}|/user_id|is required: a string of 1 to 200 characters without '/'",
    })
    void aBadFieldIsAnsweredWithItsPointerAndWhatItMustBe(String body, String pointer, String message) {
        assertThat(errors(body, Everything.class)).containsExactly(new ProblemException.FieldError(pointer, message));
    }

    @Test
    void aTooLongUserIdIsOneErrorNotThree() {
        assertThat(pointers("{'user_id': '" + "x".repeat(201) + "'}", Everything.class)).containsExactly("/user_id");
    }

    @Test
    void everyBadFieldIsAnsweredAtOnceInTheOrderOfTheRecord() {
        assertThat(pointers("{'day': 'x', 'points': 'x', 'flag': 'x', 'names': [1.5]}", Everything.class))
                .containsExactly("/user_id", "/points", "/flag", "/day", "/names/0");
        assertThat(pointers("{'note': 1, 'day': 'x', 'points': 'x', 'flag': 'x', 'names': [1.5]}", Everything.class))
                .containsExactly("/user_id", "/note", "/points", "/flag", "/day", "/names/0");
    }

    @Test
    void aFieldWithTheWrongTypeIsNotAlsoReportedForItsConstraints() {
        assertThat(errors("{'a': '12345', 'b': ['x']}", Pair.class)).containsExactly(
                new ProblemException.FieldError("/a", "1 to 3 characters"));
        assertThat(errors("{'a': 12345, 'b': ['x']}", Pair.class)).containsExactly(
                new ProblemException.FieldError("/a", "must be a string"));
        assertThat(errors("{'a': [], 'b': ['x']}", Pair.class)).containsExactly(
                new ProblemException.FieldError("/a", "must be a string"));
    }

    @Test
    void constraintsOnListElementsNameTheElement() {
        assertThat(errors("{'a': 'ok', 'b': ['x', 'long']}", Pair.class)).containsExactly(
                new ProblemException.FieldError("/b/1", "at most 2"));
        assertThat(errors("{'a': 'ok', 'b': []}", Pair.class)).containsExactly(
                new ProblemException.FieldError("/b", "at least one"));
    }

    @Test
    void crossFieldChecksAreAnsweredWithTheRestButNeverTwiceForOnePointer() {
        assertThat(errors("{'a': 'dup', 'b': ['x']}", Pair.class)).containsExactly(
                new ProblemException.FieldError("/a", "must differ"));
        assertThat(pointers("{'a': 'dup', 'b': []}", Pair.class)).containsExactly("/a", "/b");
        assertThat(errors("{'a': 'dup', 'b': 'x'}", Pair.class)).containsExactly(
                new ProblemException.FieldError("/a", "must differ"), new ProblemException.FieldError("/b", "must be a list of strings"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"[]", "'text'", "42", "null"})
    void aBodyThatIsNoObjectHasTheEmptyPointer(String body) {
        assertThatThrownBy(() -> RequestBinder.bind(json(body), Pair.class, "thing"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Thing is a JSON object.");
                    assertThat(e.errors()).containsExactly(new ProblemException.FieldError("", "expected an object"));
                });
    }

    @Test
    void aRedemptionRequestIsCheckedAsTheApiDocumentsIt() {
        RedemptionRequest ok = RequestBinder.bind(json("{'user_id': 'u', 'points': 5, 'hold': true, 'hold_seconds': 60}"),
                RedemptionRequest.class, "redemption");
        assertThat(ok.holdSeconds()).isEqualTo(60L);
        assertThat(ok.currency()).isNull();
        assertThat(pointers("{'user_id': 'u', 'points': 0, 'currency': 'Gold', 'description': '', "
                + "'idempotency_key': '', 'hold_seconds': 0}", RedemptionRequest.class))
                .containsExactly("/points", "/currency", "/description", "/idempotency_key", "/hold_seconds");
        assertThat(errors("{'user_id': 'u', 'points': 5, 'hold_seconds': 60}", RedemptionRequest.class)).containsExactly(
                new ProblemException.FieldError("/hold_seconds", "applies only with \"hold\": true"));
        assertThat(pointers("{'user_id': 'u', 'points': 5, 'hold': true, 'hold_seconds': 604801}", RedemptionRequest.class))
                .containsExactly("/hold_seconds");
    }

    @Test
    void everyBadFieldOfANestedObjectIsAnswered() {
        assertThat(errors("{'rate_limit': {'events_per_second': 'many', 'burst': -1}}", TenantRequest.class)).containsExactly(
                new ProblemException.FieldError("/rate_limit/events_per_second", "must be a whole number"),
                new ProblemException.FieldError("/rate_limit/burst", "must be an integer from 1 to 10000000"));
        assertThat(pointers("{'rate_limit': {'burst': 5}}", TenantRequest.class))
                .containsExactly("/rate_limit/events_per_second");
        assertThat(errors("{'rate_limit': 5, 'time_zone': 'Mars/Olympus'}", TenantRequest.class)).containsExactly(
                new ProblemException.FieldError("/time_zone", "must be an IANA time zone such as 'Europe/Zurich' or 'UTC'"),
                new ProblemException.FieldError("/rate_limit", "must be an object"));
        TenantRequest ok = RequestBinder.bind(json("{'id': 'acme', 'rate_limit': {'events_per_second': 7}}"),
                TenantRequest.class, "tenant");
        assertThat(ok.rateLimit()).isEqualTo(new RateLimit(7, null));
    }

    @Test
    void onlyRecordsCanBeBound() {
        assertThatThrownBy(() -> RequestBinder.bind(json("{}"), notARecord(), "thing"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<Record> notARecord() {
        return (Class) String.class;
    }
}
