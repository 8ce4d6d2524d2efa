package io.laurel.api;

/** {@code GET /v1/users/{user_id}/points}. */
public record Points(String userId, java.util.List<Balance> balances) {
}
