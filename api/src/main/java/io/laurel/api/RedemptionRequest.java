package io.laurel.api;

/** {@code POST /v1/redemptions}: {@code idempotencyKey} makes a retry safe (the client generates one when none is given); {@code hold} reserves the points until confirmed or released. */
public record RedemptionRequest(String userId, long points, String currency, String description, String idempotencyKey, Boolean hold, Long holdSeconds) {
    /** Redeems {@code points} of currency {@code points} at once. */
    public static RedemptionRequest of(String userId, long points, String description) {
        return new RedemptionRequest(userId, points, "points", description, null, null, null);
    }

    public RedemptionRequest withIdempotencyKey(String key) {
        return new RedemptionRequest(userId, points, currency, description, key, hold, holdSeconds);
    }
}
