package io.laurel.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * What a user achieved, as {@code laurel.achievements} carries it: one record per kind, told apart by {@code kind}.
 * Notifications and webhooks are made from these; a webhook's body is the record as published. Every field is
 * written, absent ones as {@code null}. The id derives from what was achieved, so a replay yields the same ids and a
 * repeat is recognised downstream.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Achievement.BadgeAwarded.class, name = Achievement.BADGE_AWARDED),
        @JsonSubTypes.Type(value = Achievement.LevelReached.class, name = Achievement.LEVEL_REACHED),
        @JsonSubTypes.Type(value = Achievement.ChallengeProgressed.class, name = Achievement.CHALLENGE_PROGRESSED),
        @JsonSubTypes.Type(value = Achievement.ChallengeCompleted.class, name = Achievement.CHALLENGE_COMPLETED),
        @JsonSubTypes.Type(value = Achievement.FeatureUnlocked.class, name = Achievement.FEATURE_UNLOCKED)})
public sealed interface Achievement {
    String BADGE_AWARDED = "badge_awarded";
    String LEVEL_REACHED = "level_reached";
    String CHALLENGE_PROGRESSED = "challenge_progressed";
    String CHALLENGE_COMPLETED = "challenge_completed";
    String FEATURE_UNLOCKED = "feature_unlocked";

    String awardId();

    @JsonProperty("kind")
    String kind();

    String tenant();

    String userId();

    Instant awardedAt();

    /** What made it: an event id, a journal entry id, or an award id. */
    String source();

    default String key() {
        return Keys.user(tenant(), userId());
    }

    /** Whether the fields every consumer relies on are there. */
    default boolean complete() {
        return awardId() != null && tenant() != null && userId() != null && awardedAt() != null;
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"award_id", "kind", "tenant", "user_id", "badge_id", "badge_name", "badge_version", "count",
            "awarded_at", "expires_at", "source", "reason"})
    record BadgeAwarded(String awardId, String tenant, String userId, String badgeId, String badgeName, int badgeVersion,
                        int count, Instant awardedAt, Instant expiresAt, String source, String reason) implements Achievement {
        @Override
        public String kind() {
            return BADGE_AWARDED;
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"award_id", "kind", "tenant", "user_id", "level_set", "level", "level_name", "threshold",
            "awarded_at", "source"})
    record LevelReached(String awardId, String tenant, String userId, String levelSet, int level, String levelName,
                        long threshold, Instant awardedAt, String source) implements Achievement {
        @Override
        public String kind() {
            return LEVEL_REACHED;
        }
    }

    /** A step of a challenge passed. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"award_id", "kind", "tenant", "user_id", "challenge_id", "challenge_name", "challenge_version",
            "step_id", "steps_passed", "steps_total", "attempt", "awarded_at", "source"})
    record ChallengeProgressed(String awardId, String tenant, String userId, String challengeId, String challengeName,
                               int challengeVersion, String stepId, int stepsPassed, int stepsTotal, int attempt,
                               Instant awardedAt, String source) implements Achievement {
        @Override
        public String kind() {
            return CHALLENGE_PROGRESSED;
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"award_id", "kind", "tenant", "user_id", "challenge_id", "challenge_name", "challenge_version",
            "step_id", "steps_passed", "steps_total", "attempt", "awarded_at", "source"})
    record ChallengeCompleted(String awardId, String tenant, String userId, String challengeId, String challengeName,
                              int challengeVersion, String stepId, int stepsPassed, int stepsTotal, int attempt,
                              Instant awardedAt, String source) implements Achievement {
        @Override
        public String kind() {
            return CHALLENGE_COMPLETED;
        }
    }

    /** A feature (an unlock) the user gained. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"award_id", "kind", "tenant", "user_id", "feature_id", "feature_name", "awarded_at", "source"})
    record FeatureUnlocked(String awardId, String tenant, String userId, String featureId, String featureName,
                           Instant awardedAt, String source) implements Achievement {
        @Override
        public String kind() {
            return FEATURE_UNLOCKED;
        }
    }
}
