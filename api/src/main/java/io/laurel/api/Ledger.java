package io.laurel.api;

/** {@code GET /v1/users/{user_id}/ledger}. */
public record Ledger(java.util.List<LedgerEntry> entries) {
}
