package io.laurel.events.time;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Time zone names as stored in definitions. */
public final class Zones {
    private Zones() {
    }

    /** The zone named (an IANA name); UTC when none is named or the name is not known to this JVM. */
    public static ZoneId orUtc(String name) {
        if (name == null || name.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
