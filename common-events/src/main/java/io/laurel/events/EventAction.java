package io.laurel.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** {@code remove} reverses an earlier {@code create} of the same event (a like, then an unlike). */
public enum EventAction {
    CREATE, REMOVE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EventAction fromWire(String value) {
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "create" -> CREATE;
            case "remove" -> REMOVE;
            default -> throw new IllegalArgumentException("event_action must be create or remove, not " + value);
        };
    }
}
