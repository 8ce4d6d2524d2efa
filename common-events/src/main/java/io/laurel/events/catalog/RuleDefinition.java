package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A scoring rule: "when event X happens (and {@code condition} holds), award N points (or
 * {@code points_expression}) of currency C", with an optional cap per user and period and an optional
 * once-per-user limit. The expressions are kept as text; the scoring service compiles and applies them.
 *
 * <p>Every revision is a new version, effective from its {@code updated_at}. The record carries its
 * earlier versions, so a service folding the compacted catalog can still apply to each event the version
 * that was in effect when the event was received.
 */
public record RuleDefinition(
        String tenant,
        String id,
        String name,
        String eventType,
        long points,
        String currency,
        String condition,
        String pointsExpression,
        RuleCap cap,
        boolean oncePerUser,
        boolean active,
        int version,
        Instant createdAt,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RuleDefinition> previousVersions) implements CatalogDefinition {
    public static final String KIND = "rule";

    public RuleDefinition {
        previousVersions = previousVersions == null ? List.of() : List.copyOf(previousVersions);
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }

    /** This version without its history. */
    public RuleDefinition withoutHistory() {
        return previousVersions.isEmpty() ? this : new RuleDefinition(tenant, id, name, eventType, points, currency,
                condition, pointsExpression, cap, oncePerUser, active, version, createdAt, updatedAt, List.of());
    }

    /**
     * The version in effect at {@code receivedAt}: the latest whose {@code updated_at} is not after it; null
     * when the rule did not exist yet.
     */
    public RuleDefinition versionAt(Instant receivedAt) {
        if (receivedAt == null || !updatedAt.isAfter(receivedAt)) {
            return this;
        }
        RuleDefinition best = null;
        for (RuleDefinition v : previousVersions) {
            if (!v.updatedAt().isAfter(receivedAt) && (best == null || v.version() > best.version())) {
                best = v;
            }
        }
        return best;
    }
}
