package io.laurel.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A challenge as the catalog defines it ({@code POST|PUT /v1/admin/challenges}): steps (kind {@code first},
 * {@code count}, {@code points}, {@code streak} or {@code badge}), in order or not, a window, a time box (ISO-8601
 * duration) and a reward. {@code tenant}, {@code active}, {@code version} and the times are set by the platform.
 */
public record ChallengeDefinition(String tenant, String id, String name, String description, String imageUrl,
                                  boolean ordered, List<Step> steps, Instant startsAt, Instant endsAt, String timeBox,
                                  Reward reward, Boolean active, Integer version, Instant createdAt, Instant updatedAt) {
    /** What the catalog calls this definition: {@code challenge}, as every catalog answer names its kind. */
    @com.fasterxml.jackson.annotation.JsonProperty("kind")
    public String kind() {
        return "challenge";
    }

    /** A step: what passes it, and its weight in the percentage. */
    public record Step(String id, String name, String kind, String eventType, Long threshold, String currency,
                       String condition, String streakUnit, String badgeId, Integer weight) {
    }

    /** The reward: points of a currency, a badge, or both (absent ones are null). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Reward(Long points, String currency, String badgeId) {
    }
}
