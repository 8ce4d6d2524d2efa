package io.laurel.api;

/** {@code GET /v1/users/{user_id}/ledger}. */
public record Ledger(String userId, java.util.List<LedgerEntry> entries) {
}
