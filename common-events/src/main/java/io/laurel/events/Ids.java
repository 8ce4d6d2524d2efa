package io.laurel.events;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.UUID;

/** Identifier helpers: time-ordered UUIDv7 for new facts, name-based UUIDs for derived ones. */
public final class Ids {
    private Ids() {
    }

    /**
     * A UUIDv7 (RFC 9562): sorts by creation time, so ids double as a coarse arrival order. Its 74 random bits
     * make collisions negligible; they come from a per-thread generator, not a cryptographic one (an id is
     * an identifier, never a credential: secrets such as API keys are drawn from {@code SecureRandom}).
     */
    public static UUID timeOrdered() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long randA = random.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The same parts always give the same id: used where a redelivery must produce the same record. */
    public static UUID derived(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
    }
}
