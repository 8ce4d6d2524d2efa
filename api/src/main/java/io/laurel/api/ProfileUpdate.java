package io.laurel.api;

import jakarta.validation.constraints.Size;

/**
 * {@code PUT /v1/users/{user_id}/profile}: the name public profiles, leaderboards, the dashboard and certificates show
 * for the user ({@code null} clears it: the user id is shown again).
 */
public record ProfileUpdate(@Size(min = 1, max = 200, message = "must be a string of 1 to 200 characters") String displayName) {
}
