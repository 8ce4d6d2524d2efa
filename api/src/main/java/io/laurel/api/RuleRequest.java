package io.laurel.api;

/** {@code POST /v1/admin/rules}; {@code currency} defaults to points. */
public record RuleRequest(String name, String eventType, Long points, String currency, String condition, String pointsExpression, Cap cap) {
    /** A fixed number of points of currency {@code points} per event of the type. */
    public static RuleRequest fixed(String name, String eventType, long points) {
        return new RuleRequest(name, eventType, points, null, null, null, null);
    }
}
