package io.laurel.api;

/** One user's change in a recalculation. */
public record UserChange(String userId, String currency, long before, long after, long delta) {
}
