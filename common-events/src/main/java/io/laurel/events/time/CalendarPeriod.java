package io.laurel.events.time;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A calendar period in a time zone: the day, ISO week (from Monday), month, quarter or year an instant
 * falls in, or all time. Periods begin at the zone's local midnight (or the first valid instant of that
 * day where daylight saving skips midnight), so a "day" may last 23 or 25 hours.
 */
public enum CalendarPeriod {
    DAY, WEEK, MONTH, QUARTER, YEAR, ALL_TIME;

    /** The instant all-time periods begin at. */
    public static final Instant EPOCH = Instant.EPOCH;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code day}, {@code daily}, {@code week}, {@code weekly}, ... {@code all_time}. */
    @JsonCreator
    public static CalendarPeriod parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "day", "daily" -> DAY;
            case "week", "weekly" -> WEEK;
            case "month", "monthly" -> MONTH;
            case "quarter", "quarterly" -> QUARTER;
            case "year", "yearly" -> YEAR;
            case "all_time", "all-time", "alltime" -> ALL_TIME;
            default -> throw new IllegalArgumentException("must be one of "
                    + Arrays.stream(values()).map(CalendarPeriod::wireName).collect(Collectors.joining(", ")));
        };
    }

    /** The first day of the period that {@code date} falls in. */
    public LocalDate firstDay(LocalDate date) {
        return switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
            case QUARTER -> LocalDate.of(date.getYear(), (date.getMonthValue() - 1) / 3 * 3 + 1, 1);
            case YEAR -> date.withDayOfYear(1);
            case ALL_TIME -> LocalDate.of(1970, 1, 1);
        };
    }

    /** When the period containing {@code t} begins, in {@code zone}. */
    public Instant start(Instant t, ZoneId zone) {
        if (this == ALL_TIME) {
            return EPOCH;
        }
        return firstDay(t.atZone(zone).toLocalDate()).atStartOfDay(zone).toInstant();
    }

    /** When the period that begins at {@code start} (a value of {@link #start}) ends: the next one's start. */
    public Instant end(Instant start, ZoneId zone) {
        if (this == ALL_TIME) {
            return Instant.MAX;
        }
        LocalDate first = start.atZone(zone).toLocalDate();
        LocalDate next = switch (this) {
            case DAY -> first.plusDays(1);
            case WEEK -> first.plusWeeks(1);
            case MONTH -> first.plusMonths(1);
            case QUARTER -> first.plusMonths(3);
            case YEAR -> first.plusYears(1);
            case ALL_TIME -> throw new IllegalStateException();
        };
        return next.atStartOfDay(zone).toInstant();
    }

    /** The start of the period containing the local date {@code date} in {@code zone}. */
    public Instant startOfDate(LocalDate date, ZoneId zone) {
        return this == ALL_TIME ? EPOCH : firstDay(date).atStartOfDay(zone).toInstant();
    }

    /** The zoned form of {@link #start}, for display. */
    public ZonedDateTime zonedStart(Instant t, ZoneId zone) {
        return start(t, zone).atZone(zone);
    }
}
