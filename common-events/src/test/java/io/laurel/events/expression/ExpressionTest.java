package io.laurel.events.expression;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionTest {
    private static final JsonNode DATA = json("{\"amount\": 125.5, \"currency\": \"EUR\", \"qty\": 3, \"tags\": [\"new\", \"vip\"],"
            + " \"customer\": {\"tier\": \"gold\", \"age\": 41}, \"first\": true, \"note\": null, \"zero\": 0}");
    private static final Expression.Context EVENT = Expression.Context.of("u-7", "purchase", List.of("acme"), DATA);

    private static JsonNode json(String s) {
        try {
            return LaurelJson.mapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object eval(String text) {
        return Expression.parse(text).evaluate(EVENT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "amount >= 100 && currency == 'EUR'      | true",
            "amount >= 200 && currency == 'EUR'      | false",
            "amount > 200 or currency == \"EUR\"     | true",
            "amount >= 100 and currency == 'USD'     | false",
            "not (qty < 3)                           | true",
            "!first                                  | false",
            "currency in ['EUR', 'CHF']              | true",
            "currency not in ['EUR', 'CHF']          | false",
            "'vip' in tags                           | true",
            "'gold' in customer.tier                 | true",
            "customer.tier == 'gold'                 | true",
            "customer.age >= 40 && customer.age < 50 | true",
            "event_data.customer.tier == 'gold'      | true",
            "user_id == 'u-7'                        | true",
            "event_type == 'purchase'                | true",
            "'acme' in groups                        | true",
            "contains(tags, 'new')                   | true",
            "starts_with(currency, 'E')              | true",
            "ends_with(lower(currency), 'ur')        | true",
            "len(tags) == 2                          | true",
            "len('héllo') == 5                       | true",
            "exists(note)                            | false",
            "exists(amount)                          | true",
            "exists(customer.missing)                | false",
            "note == null                            | true",
            "missing == null                         | true",
            "qty == 3.0                              | true",
            "qty != 3                                | false",
            "'b' > 'a'                               | true",
            "[1, 2] == [1, 2.0]                      | true",
            "first == true                           | true",
    })
    void conditions(String text, boolean expected) {
        assertThat(Expression.parse(text).test(EVENT)).as(text).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "floor(amount / 10)          | 12",
            "ceil(amount / 10)           | 13",
            "round(amount / 10)          | 13",
            "round(amount / 100, 1)      | 1.3",
            "qty * 5 + 1                 | 16",
            "qty * (5 + 1)               | 18",
            "-qty + 10                   | 7",
            "10 - 2 - 3                  | 5",
            "2 * 3 % 4                   | 2",
            "abs(0 - amount)             | 125.5",
            "min(qty, 2, 10)             | 2",
            "max(qty, 2, 10)             | 10",
            "coalesce(missing, qty, 9)   | 3",
            "1e3 / 8                     | 125",
            ".5 * 4                      | 2",
            "customer.age - 1            | 40",
    })
    void numbers(String text, String expected) {
        assertThat(Expression.parse(text).number(EVENT)).as(text).isEqualByComparingTo(new BigDecimal(expected));
    }

    @Test
    void divisionIsExactToManyDigits() {
        assertThat(Expression.parse("1 / 3 * 3").number(EVENT)).isBetween(new BigDecimal("0.999999999"), BigDecimal.ONE);
        assertThat(Expression.parse("100 / 7").number(EVENT).toPlainString()).startsWith("14.285714285714");
    }

    @Test
    void stringsConcatenateAndCaseConverts() {
        assertThat(eval("upper(currency) + '-' + lower('X')")).isEqualTo("EUR-x");
        assertThat(eval("'it\\'s'")).isEqualTo("it's");
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing + 1", "amount / zero", "amount % zero", "floor(missing)", "currency * 2",
            "amount + 'x'", "len(amount)", "!currency", "amount && true", "round(amount, 1.5)", "-currency",
            "'a' < 1", "1 in 5", "customer * 2", "round(amount, 99)"})
    void whatCannotBeComputedIsNull(String text) {
        assertThat(eval(text)).as(text).isNull();
        assertThat(Expression.parse(text).test(EVENT)).isFalse();
        assertThat(Expression.parse(text).number(EVENT)).isNull();
    }

    @Test
    void orderingWithNullIsFalseAndLogicFollowsThreeValuedRules() {
        assertThat(eval("missing > 1")).isEqualTo(false);
        assertThat(eval("missing < 1")).isEqualTo(false);
        assertThat(eval("false && missing + 1 > 0")).isEqualTo(false);
        assertThat(eval("true || !missing")).isEqualTo(true);
        assertThat(eval("true && !missing")).isNull();
        assertThat(eval("false || !missing")).isNull();
        assertThat(eval("!missing")).isNull();
    }

    @Test
    void aConditionThatIsNotBooleanDoesNotHold() {
        assertThat(Expression.parse("amount").test(EVENT)).isFalse();
        assertThat(Expression.parse("currency == 'EUR'").number(EVENT)).isNull();
    }

    @Test
    void otherContextsAreReadLikeEvents() {
        Expression e = Expression.parse("a.b * 2 + n");
        assertThat(e.number(Expression.Context.of(java.util.Map.of("a", java.util.Map.of("b", 4), "n", 1L))))
                .isEqualByComparingTo("9");
        assertThat(Expression.parse("amount > 1").test(Expression.Context.of("u", "t", null, null))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "amount >                   | ends too early",
            "amount = 3                 | compare with '=='",
            "(amount > 1                | expected ')'",
            "amount > 1)                | unexpected ')'",
            "system('rm -rf /')         | unknown function 'system'",
            "floor(1, 2)                | floor() takes 1 argument(s), not 2",
            "min()                      | min() takes 1 to 16 argument(s), not 0",
            "'open                      | unterminated string",
            "amount # 2                 | unexpected character '#'",
            "amount.                    | expected a field name",
            "[1, 2                      | expected ']'",
            "amount > > 2               | unexpected '>'",
            "and                        | unexpected 'and'",
            "1e999                      | number out of range",
    })
    void parseErrorsSayWhatAndWhere(String text, String message) {
        assertThatThrownBy(() -> Expression.parse(text.strip())).isInstanceOf(ExpressionException.class)
                .hasMessageContaining(message).hasMessageContaining("at character");
    }

    @Test
    void parseErrorsCarryThePosition() {
        ExpressionException e = org.junit.jupiter.api.Assertions.assertThrows(ExpressionException.class,
                () -> Expression.parse("amount >= 10 && currency =! 'EUR'"));
        assertThat(e.position()).isEqualTo(25);
    }

    @Test
    void emptyOverlongAndTooDeepExpressionsAreRefused() {
        assertThatThrownBy(() -> Expression.parse("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Expression.parse("1+".repeat(1200) + "1")).hasMessageContaining("at most 2000");
        assertThatThrownBy(() -> Expression.parse("(".repeat(100) + "1" + ")".repeat(100)))
                .hasMessageContaining("deeper than 64");
        assertThat(Expression.parse("-".repeat(60) + "1").number(EVENT)).isEqualByComparingTo("1");
    }

    @Test
    void keepsItsText() {
        assertThat(Expression.parse("floor(amount / 10)").text()).isEqualTo("floor(amount / 10)");
    }
}
