package io.laurel.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum PointsEntryKind {
    /** By a rule, for an event. */
    AWARDED,
    /** Reverses an award, when its event was removed ({@code event_action: remove}). */
    REVOKED,
    /** A correction: a recalculation's difference, or a changed score event's. */
    ADJUSTED,
    /** Points spent (a completed redemption). */
    REDEEMED,
    /** Given or taken by hand (a score event). */
    MANUAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PointsEntryKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
