package io.laurel.api;

/** {@code GET /v1/ops/recalculations}: the tenant's, newest first. */
public record Recalculations(java.util.List<Recalculation> recalculations) {
}
