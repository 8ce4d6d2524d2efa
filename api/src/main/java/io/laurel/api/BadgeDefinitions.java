package io.laurel.api;

/** {@code GET /v1/admin/badges}. */
public record BadgeDefinitions(java.util.List<BadgeDefinition> badges) {
}
