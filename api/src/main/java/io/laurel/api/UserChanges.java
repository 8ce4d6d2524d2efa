package io.laurel.api;

/** {@code GET /v1/ops/recalculations/{id}/changes}: largest |delta| first. */
public record UserChanges(java.util.List<UserChange> changes) {
}
