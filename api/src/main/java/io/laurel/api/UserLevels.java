package io.laurel.api;

/** {@code GET /v1/users/{user_id}/levels}. */
public record UserLevels(String userId, java.util.List<LevelStanding> levels) {
}
