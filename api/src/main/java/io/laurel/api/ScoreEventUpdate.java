package io.laurel.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code PUT /v1/score-events}: the points and description of an existing one (give either or both; an explicit
 * {@code "description": null} clears it). Its {@code user_id} and {@code date} cannot change.
 */
public record ScoreEventUpdate(
        @NotBlank(message = "is required") @NumberAsText String id,
        @Min(value = -ScoreEventRequest.MAX_POINTS, message = ScoreEventRequest.POINTS_RANGE)
        @Max(value = ScoreEventRequest.MAX_POINTS, message = ScoreEventRequest.POINTS_RANGE) Long points,
        @Size(max = 1000, message = "must be a string of at most 1000 characters") String description) {
}
