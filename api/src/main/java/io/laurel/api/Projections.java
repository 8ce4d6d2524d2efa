package io.laurel.api;

/** {@code GET /v1/ops/projections}. */
public record Projections(java.util.List<ProjectionStatus> projections) {
}
