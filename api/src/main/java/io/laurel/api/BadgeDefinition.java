package io.laurel.api;

/** A badge ({@code POST /v1/admin/badges}): kind first, count, points, streak, attendance or manual. */
public record BadgeDefinition(String id, String name, String description, String imageUrl, String kind, String eventType, Long threshold, String currency, Boolean repeatable) {
}
