package io.laurel.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/redemptions}: {@code idempotencyKey} makes a retry safe (the client generates one when none is
 * given); {@code hold} reserves the points until confirmed or released, for {@code holdSeconds} (at most a week) or
 * the platform's hold timeout. {@code currency} defaults to {@code points}.
 */
public record RedemptionRequest(
        @UserId @NumberAsText String userId,
        @NotNull(message = POINTS) @Min(value = 1, message = POINTS) Long points,
        @Pattern(regexp = "[a-z][a-z0-9_-]{0,39}", message = "must be lower-case letters, digits, '_' or '-', starting with a letter")
        String currency,
        @Size(min = 1, max = 1000, message = "must be a string of 1 to 1000 characters") String description,
        @Size(min = 1, max = 200, message = "must be a string of 1 to 200 characters") String idempotencyKey,
        Boolean hold,
        @Min(value = 1, message = HOLD_SECONDS) @Max(value = MAX_HOLD_SECONDS, message = HOLD_SECONDS) Long holdSeconds)
        implements Checked {
    /** The longest hold a request may ask for: a week. */
    public static final long MAX_HOLD_SECONDS = 7 * 24 * 3600;
    private static final String POINTS = "is required: a whole number of at least 1";
    private static final String HOLD_SECONDS = "must be a whole number from 1 to " + MAX_HOLD_SECONDS;

    /** Redeems {@code points} of currency {@code points} at once. */
    public static RedemptionRequest of(String userId, long points, String description) {
        return new RedemptionRequest(userId, points, "points", description, null, null, null);
    }

    public RedemptionRequest withIdempotencyKey(String key) {
        return new RedemptionRequest(userId, points, currency, description, key, hold, holdSeconds);
    }

    @Override
    public List<FieldError> check() {
        List<FieldError> errors = new ArrayList<>();
        if (holdSeconds != null && !Boolean.TRUE.equals(hold)) {
            errors.add(new FieldError("/hold_seconds", "applies only with \"hold\": true"));
        }
        return errors;
    }
}
