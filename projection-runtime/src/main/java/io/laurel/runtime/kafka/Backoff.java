package io.laurel.runtime.kafka;

import java.time.Duration;

/**
 * The one back-off of Laurel's consumer loops (projections, the catalog view, the Kafka inbound gateway): after the
 * n-th failure in a row, {@code first × 2^(n-1)}, at most {@code max}.
 */
public record Backoff(Duration first, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("a back-off needs 0 < first <= max: " + first + ", " + max);
        }
    }

    /** The pause after {@code failures} failures in a row (1 for the first); none before any. */
    public Duration after(int failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        long ms = first.toMillis() << Math.min(failures - 1, 20);
        return ms <= 0 || ms > max.toMillis() ? max : Duration.ofMillis(ms);
    }

    /** Sleeps {@link #after}; false when interrupted (the interrupt is kept). */
    public boolean pause(int failures) {
        try {
            Thread.sleep(after(failures));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
