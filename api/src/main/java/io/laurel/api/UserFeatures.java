package io.laurel.api;

import java.util.List;

/** {@code GET /v1/users/{user_id}/features}: the features the user has unlocked, earliest first. */
public record UserFeatures(List<UserFeature> features) {
}
