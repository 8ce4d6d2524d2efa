package io.laurel.events.catalog;

import io.laurel.events.time.CalendarPeriod;

/**
 * A rule's cap per user: at most {@code maxPoints} points and/or {@code maxCount} awards in each calendar
 * {@code period} (day, week, month, quarter, year, in the tenant's time zone; or all time). An award
 * that would cross {@code maxPoints} is cut to what is left.
 */
public record RuleCap(CalendarPeriod period, Long maxPoints, Long maxCount) {
}
