package io.laurel.api;

/** {@code GET /v1/users/{user_id}/redemptions}: newest first. */
public record Redemptions(java.util.List<Redemption> redemptions) {
}
