package io.laurel.api;

import java.time.Instant;
import java.util.List;

/**
 * A challenge as users see it ({@code GET /v1/challenges}, {@code GET /v1/challenges/{id}} with {@code participants}
 * and {@code completed}).
 */
public record Challenge(String id, String name, String description, String imageUrl, boolean ordered,
                        List<ChallengeStep> steps, Instant startsAt, Instant endsAt, String timeBox,
                        ChallengeReward reward, Long participants, Long completed) {
}
