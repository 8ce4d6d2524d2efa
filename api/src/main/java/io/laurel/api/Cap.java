package io.laurel.api;

/** A rule's cap: at most {@code maxPoints} per {@code period} (day, week, month) in the tenant's zone. */
public record Cap(String period, long maxPoints) {
}
