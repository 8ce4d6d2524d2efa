package io.laurel.api;

/** A step of a challenge: what passes it ({@code target} events, points, days, or a badge) and its weight. */
public record ChallengeStep(String id, String name, String kind, String eventType, long target, String currency,
                            String streakUnit, String badgeId, int weight) {
}
