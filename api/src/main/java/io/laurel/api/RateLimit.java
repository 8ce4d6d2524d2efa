package io.laurel.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * A tenant's event rate limit: a token bucket of {@code burst} (default: {@code eventsPerSecond}) refilled at
 * {@code eventsPerSecond}.
 */
public record RateLimit(
        @NotNull(message = RATE) @Min(value = 1, message = RATE) @Max(value = 1_000_000, message = RATE) Integer eventsPerSecond,
        @Min(value = 1, message = BURST) @Max(value = 10_000_000, message = BURST) Integer burst) {
    private static final String RATE = "must be an integer from 1 to 1000000";
    private static final String BURST = "must be an integer from 1 to 10000000";
}
