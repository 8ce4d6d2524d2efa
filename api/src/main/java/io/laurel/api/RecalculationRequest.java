package io.laurel.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/**
 * {@code POST /v1/ops/recalculations}: the window [from, to) and filters, each optional: at most
 * {@value #MAX_EVENT_TYPES} event types and {@value #MAX_USER_IDS} user ids.
 */
public record RecalculationRequest(
        Instant from,
        Instant to,
        @Size(max = MAX_EVENT_TYPES, message = "at most " + MAX_EVENT_TYPES + " values")
        List<@NotBlank(message = "must be a non-empty string") String> eventTypes,
        @Size(max = MAX_USER_IDS, message = "at most " + MAX_USER_IDS + " values")
        List<@NotBlank(message = "must be a non-empty string") String> userIds) implements Checked {
    public static final int MAX_EVENT_TYPES = 1000;
    public static final int MAX_USER_IDS = 10_000;

    /** Every event of the tenant from {@code from} on. */
    public static RecalculationRequest since(Instant from) {
        return new RecalculationRequest(from, null, null, null);
    }

    @Override
    public List<FieldError> check() {
        return from != null && to != null && !from.isBefore(to) ? List.of(new FieldError("/to", "must be after from"))
                : List.of();
    }
}
