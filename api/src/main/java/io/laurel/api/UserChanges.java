package io.laurel.api;

/** {@code GET /v1/ops/recalculations/{id}/changes}: a page of the changes (largest |delta| first), of {@code total}. */
public record UserChanges(String recalculation, long total, java.util.List<UserChange> changes) {
}
