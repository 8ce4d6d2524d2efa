package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A challenge: a named set of {@code steps}, each a badge-like condition, to be passed in their order
 * ({@code ordered}) or in any order. Only what happens (by {@code occurred_at}) from {@code starts_at},
 * inclusive, to {@code ends_at} (the deadline), exclusive, counts. With a {@code time_box} (an ISO-8601
 * duration such as {@code P7D} or {@code PT48H}) a user has that long from the first step progressed to pass
 * them all; an attempt that runs out starts afresh with the next thing that counts. A challenge is completed
 * once per user; completing it earns {@code reward_points} of {@code reward_currency} (as an event of the
 * system type {@code challenge.completed}, which scoring turns into points) and/or the badge
 * {@code reward_badge_id}.
 */
public record ChallengeDefinition(
        String tenant,
        String id,
        String name,
        String description,
        String imageUrl,
        boolean ordered,
        List<Step> steps,
        Instant startsAt,
        Instant endsAt,
        String timeBox,
        Long rewardPoints,
        String rewardCurrency,
        String rewardBadgeId,
        boolean active,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "challenge";
    public static final String FIRST = "first";
    public static final String COUNT = "count";
    public static final String POINTS = "points";
    public static final String STREAK = "streak";
    public static final String BADGE = "badge";
    public static final List<String> STEP_KINDS = List.of(FIRST, COUNT, POINTS, STREAK, BADGE);
    public static final int MAX_STEPS = 50;

    /**
     * One step: {@code first} (an event of {@code event_type}, meeting {@code condition}), {@code count}
     * ({@code threshold} such events), {@code points} ({@code threshold} points of {@code currency} earned;
     * redemptions do not lower them, revocations do), {@code streak} ({@code threshold} consecutive days, or
     * weeks with {@code streak_unit} {@code week}, in the tenant's zone) or {@code badge} (the badge
     * {@code badge_id} awarded). Its {@code weight} (default 1) is its share of the challenge's percentage.
     */
    public record Step(String id, String name, String kind, String eventType, Long threshold, String currency,
                       String condition, String streakUnit, String badgeId, Integer weight) {
        public Step {
            streakUnit = streakUnit == null ? BadgeDefinition.DAY : streakUnit;
            weight = weight == null || weight < 1 ? 1 : weight;
        }

        /** What passes the step: the events, points or days it takes (1 for first and badge steps). */
        @JsonIgnore
        public long target() {
            return threshold == null || threshold < 1 ? 1 : threshold;
        }
    }

    public ChallengeDefinition {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }

    /** The time box, or null when there is none. */
    @JsonIgnore
    public Duration timeBoxDuration() {
        return timeBox == null ? null : Duration.parse(timeBox);
    }

    /** The percentage (whole, rounded down) the steps that {@code passed} make of all, by weight. */
    public int percent(java.util.function.Predicate<Step> passed) {
        long all = 0;
        long done = 0;
        for (Step step : steps) {
            all += step.weight();
            if (passed.test(step)) {
                done += step.weight();
            }
        }
        return all == 0 ? 0 : (int) (done * 100 / all);
    }

    /** Whether {@code at} falls between the start (inclusive) and the deadline (exclusive). */
    public boolean runsAt(Instant at) {
        return (startsAt == null || !at.isBefore(startsAt)) && (endsAt == null || at.isBefore(endsAt));
    }
}
