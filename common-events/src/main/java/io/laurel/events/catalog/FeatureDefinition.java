package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * A feature a user unlocks (the GMFY SDK's "features"): once, when the input that crosses its line is folded, and
 * for good. {@code unlock} says which line: points earned in a currency, a badge, a level of a level set, a
 * completed challenge, or a grant by hand.
 */
public record FeatureDefinition(
        String tenant,
        String id,
        String name,
        String description,
        Unlock unlock,
        boolean active,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "feature";

    /** The unlock kinds. */
    public static final String POINTS = "points";
    public static final String BADGE = "badge";
    public static final String LEVEL = "level";
    public static final String CHALLENGE = "challenge";
    public static final String MANUAL = "manual";

    /**
     * What unlocks the feature: {@code points} ({@code currency}, {@code threshold} earned), {@code badge}
     * ({@code badgeId} awarded), {@code level} ({@code level} of {@code levelSet} reached), {@code challenge}
     * ({@code challengeId} completed) or {@code manual}.
     */
    public record Unlock(String kind, String currency, Long threshold, String badgeId, String levelSet, Integer level,
                         String challengeId) {
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }
}
