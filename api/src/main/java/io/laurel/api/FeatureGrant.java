package io.laurel.api;

import java.time.Instant;

/**
 * {@code POST /v1/features/{id}/grants}: {@code unlocked} true (201) when this grant unlocked the feature, false (200)
 * when the user had it already; {@code unlockedAt} when it was unlocked.
 */
public record FeatureGrant(boolean unlocked, String featureId, String userId, Instant unlockedAt) {
}
