package io.laurel.events;

/** The event types every tenant has; Laurel gives them their meaning. */
public final class SystemTypes {
    /** Points given or taken by hand: a Discourse-style score event (or a change of one). */
    public static final String SCORE_MANUAL = "score.manual";
    /** Points spent: written by the redemption wallet, never by clients. */
    public static final String POINTS_REDEEMED = "points.redeemed";
    /** A badge granted through the API ({@code event_data.badge_id}): written by the badge service, never by clients. */
    public static final String BADGE_GRANTED = "badge.granted";
    /**
     * A challenge completed, with its reward ({@code event_data.points} of {@code event_data.currency}): written
     * by the badge service, never by clients; scoring turns it into points.
     */
    public static final String CHALLENGE_COMPLETED = "challenge.completed";
    /**
     * A recalculation's adjustment of one event ({@code event_data.event_id}): the difference between what
     * the rules in effect now give it and what the journal held, per currency and rule. Written by an applied
     * recalculation, never by clients; scoring turns it into {@code adjusted} entries that carry the original
     * event's id and time.
     */
    public static final String POINTS_RECALCULATED = "points.recalculated";
    /** A feature unlocked by hand through the API ({@code event_data.feature_id}): written by the badge service. */
    public static final String FEATURE_GRANTED = "feature.granted";

    /** Every system type. */
    public static final java.util.List<String> ALL = java.util.List.of(SCORE_MANUAL, POINTS_REDEEMED, BADGE_GRANTED,
            CHALLENGE_COMPLETED, POINTS_RECALCULATED, FEATURE_GRANTED);

    private SystemTypes() {
    }

    public static boolean isSystem(String eventType) {
        return ALL.contains(eventType);
    }
}
