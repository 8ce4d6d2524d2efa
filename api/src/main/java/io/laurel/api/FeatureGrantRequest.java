package io.laurel.api;

/** {@code POST /v1/features/{feature_id}/grants}: the user who is given a manual feature. */
public record FeatureGrantRequest(@UserId String userId) {
}
