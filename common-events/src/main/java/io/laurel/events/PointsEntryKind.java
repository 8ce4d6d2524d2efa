package io.laurel.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum PointsEntryKind {
    AWARDED, REVOKED, ADJUSTED, REDEEMED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PointsEntryKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
