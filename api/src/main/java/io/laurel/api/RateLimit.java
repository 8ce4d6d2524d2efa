package io.laurel.api;

/** A tenant's event rate limit: a token bucket of {@code burst} refilled at {@code eventsPerSecond}. */
public record RateLimit(int eventsPerSecond, int burst) {
}
