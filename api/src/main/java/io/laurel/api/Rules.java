package io.laurel.api;

/** {@code GET /v1/admin/rules}. */
public record Rules(java.util.List<Rule> rules) {
}
