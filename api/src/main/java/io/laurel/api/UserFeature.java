package io.laurel.api;

import java.time.Instant;

/** A feature a user has unlocked ({@code GET /v1/users/{user_id}/features}). */
public record UserFeature(String featureId, String name, Instant unlockedAt) {
}
