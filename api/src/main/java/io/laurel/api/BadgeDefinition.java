package io.laurel.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A badge ({@code POST|PUT /v1/admin/badges}): kind {@code first}, {@code count}, {@code points}, {@code streak},
 * {@code attendance} or {@code manual}; what each kind needs (event type, threshold, currency, condition, streak unit,
 * sessions) as API.md says. {@code tenant}, {@code active}, {@code version} and the times are set by the platform.
 */
public record BadgeDefinition(String tenant, String id, String name, String description, String imageUrl, String kind,
                              String eventType, Long threshold, String currency, String condition, String streakUnit,
                              List<Map<String, Object>> sessions, String trackField, Boolean repeatable,
                              String expiresAfter, String certificateTemplate, Boolean active, Integer version,
                              Instant createdAt, Instant updatedAt) {
    /** A badge granted by hand ({@code POST /v1/badges/{id}/grants}). */
    public static BadgeDefinition manual(String id, String name, String description) {
        return new BadgeDefinition(null, id, name, description, null, "manual", null, null, null, null, null, null, null,
                false, null, null, null, null, null, null);
    }

    /** A badge earned by the {@code threshold}-th event of a type ({@code 1}: the first). */
    public static BadgeDefinition count(String id, String name, String eventType, long threshold) {
        return new BadgeDefinition(null, id, name, null, null, threshold == 1 ? "first" : "count", eventType,
                threshold == 1 ? null : threshold, null, null, null, null, null, false, null, null, null, null, null, null);
    }

    /** This badge with its awards rendered by the certificate template {@code templateId}. */
    public BadgeDefinition withCertificateTemplate(String templateId) {
        return new BadgeDefinition(tenant, id, name, description, imageUrl, kind, eventType, threshold, currency,
                condition, streakUnit, sessions, trackField, repeatable, expiresAfter, templateId, active, version,
                createdAt, updatedAt);
    }
}
