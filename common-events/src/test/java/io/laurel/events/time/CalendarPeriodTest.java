package io.laurel.events.time;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CalendarPeriodTest {
    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");

    @ParameterizedTest
    @CsvSource({
            // instant, period, start in Zurich, end
            "2026-05-01T21:59:59Z, DAY, 2026-04-30T22:00:00Z, 2026-05-01T22:00:00Z",
            "2026-05-01T22:00:00Z, DAY, 2026-05-01T22:00:00Z, 2026-05-02T22:00:00Z",
            "2026-03-29T12:00:00Z, DAY, 2026-03-28T23:00:00Z, 2026-03-29T22:00:00Z", // 23-hour day
            "2026-10-25T12:00:00Z, DAY, 2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z", // 25-hour day
            "2026-05-03T21:59:59Z, WEEK, 2026-04-26T22:00:00Z, 2026-05-03T22:00:00Z", // Sunday evening
            "2026-05-03T22:00:00Z, WEEK, 2026-05-03T22:00:00Z, 2026-05-10T22:00:00Z", // Monday 00:00
            "2026-05-31T22:00:00Z, MONTH, 2026-05-31T22:00:00Z, 2026-06-30T22:00:00Z",
            "2026-08-15T10:00:00Z, QUARTER, 2026-06-30T22:00:00Z, 2026-09-30T22:00:00Z",
            "2026-12-31T22:59:59Z, YEAR, 2025-12-31T23:00:00Z, 2026-12-31T23:00:00Z",
            "2026-12-31T23:00:00Z, YEAR, 2026-12-31T23:00:00Z, 2027-12-31T23:00:00Z",
    })
    void periodsBeginAtTheZonesMidnight(String at, CalendarPeriod period, String start, String end) {
        Instant s = period.start(Instant.parse(at), ZURICH);
        assertThat(s).isEqualTo(Instant.parse(start));
        assertThat(period.end(s, ZURICH)).isEqualTo(Instant.parse(end));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2020-01-01T00:00:00Z", "2026-05-01T10:00:00Z", "1999-12-31T23:59:59Z"})
    void allTimeStartsAtTheEpochAndNeverEnds(String at) {
        assertThat(CalendarPeriod.ALL_TIME.start(Instant.parse(at), ZURICH)).isEqualTo(Instant.EPOCH);
        assertThat(CalendarPeriod.ALL_TIME.end(Instant.EPOCH, ZURICH)).isEqualTo(Instant.MAX);
    }

    @ParameterizedTest
    @CsvSource({"day, DAY", "daily, DAY", "weekly, WEEK", "Monthly, MONTH", "quarterly, QUARTER", "yearly, YEAR",
            "all_time, ALL_TIME", "all-time, ALL_TIME"})
    void parsesNamesAndAdjectives(String text, CalendarPeriod expected) {
        assertThat(CalendarPeriod.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hour", "", "fortnight"})
    void refusesOtherNames(String text) {
        assertThatThrownBy(() -> CalendarPeriod.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("day, week, month, quarter, year, all_time");
    }
}
