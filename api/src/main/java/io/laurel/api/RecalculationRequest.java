package io.laurel.api;

/** {@code POST /v1/ops/recalculations}: the window [from, to) and filters, each optional. */
public record RecalculationRequest(java.time.Instant from, java.time.Instant to, java.util.List<String> eventTypes, java.util.List<String> userIds) {
    /** Every event of the tenant from {@code from} on. */
    public static RecalculationRequest since(java.time.Instant from) {
        return new RecalculationRequest(from, null, null, null);
    }
}
