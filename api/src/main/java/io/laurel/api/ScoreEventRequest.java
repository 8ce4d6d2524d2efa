package io.laurel.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A Discourse-style manual score event ({@code POST /v1/score-events}): {@code points} (negative takes points) for
 * {@code userId} on {@code date} ({@code YYYY-MM-DD}, or an ISO-8601 time; today in the tenant's zone when absent).
 * {@code idempotenceKey} makes a retry answer the first one.
 */
public record ScoreEventRequest(
        @UserId @NumberAsText String userId,
        String date,
        @NotNull(message = "is required: a whole number (negative takes points)")
        @Min(value = -MAX_POINTS, message = POINTS_RANGE) @Max(value = MAX_POINTS, message = POINTS_RANGE) Long points,
        @Size(max = 1000, message = "must be a string of at most 1000 characters") String description,
        @Size(min = 1, max = 200, message = "must be a string of 1 to 200 characters") String idempotenceKey)
        implements Checked {
    /** The largest number of points one score event may give or take. */
    public static final long MAX_POINTS = 1_000_000_000_000L;
    static final String POINTS_RANGE = "must be a whole number between -10^12 and 10^12";

    public ScoreEventRequest(String userId, String date, long points, String description) {
        this(userId, date, points, description, null);
    }

    /** The day {@code date} names, or {@code null} when it names none (or is absent). */
    public static LocalDate day(String date) {
        if (date == null) {
            return null;
        }
        try {
            return date.length() > 10 ? Instant.parse(date).atZone(java.time.ZoneOffset.UTC).toLocalDate()
                    : LocalDate.parse(date);
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Override
    public List<FieldError> check() {
        return date != null && day(date) == null ? List.of(new FieldError("/date", "must be a date such as 2026-05-01"))
                : List.of();
    }
}
