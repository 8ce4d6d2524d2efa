package io.laurel.runtime.web;

import java.util.Arrays;
import java.util.Optional;

/** What an API key may do. A key belongs to one tenant and never sees another's data. */
public enum Scope {
    EVENTS_WRITE("events:write"),
    EVENTS_READ("events:read"),
    CATALOG_READ("catalog:read"),
    CATALOG_WRITE("catalog:write"),
    POINTS_READ("points:read"),
    POINTS_WRITE("points:write"),
    LEADERBOARDS_READ("leaderboards:read"),
    BADGES_READ("badges:read"),
    BADGES_WRITE("badges:write"),
    OPS("ops");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
