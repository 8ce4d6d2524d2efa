package io.laurel.api;

/** A rule and its version. */
public record Rule(String id, int version, String name, String eventType, Long points, String currency, String condition, String pointsExpression, Cap cap, Boolean active) {
}
