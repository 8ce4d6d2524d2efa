package io.laurel.runtime.projection;

/**
 * The recent rate of a growing count (records replayed), for progress reports: the change over the last
 * window of observations, so a rebuild that sped up or slowed down shows its current pace, not its
 * average since the start. Thread-safe; observations come from one thread, reads from any.
 */
public final class Rate {
    private final long windowNanos;
    private long windowStartNanos = -1;
    private long windowStartCount;
    private double perSecond = Double.NaN;
    private boolean firstWindowDone;

    public Rate(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.windowNanos = windowNanos;
    }

    /** Records that {@code count} was reached at {@code nanos} (a monotonic clock, such as System.nanoTime). */
    public synchronized void observe(long nanos, long count) {
        if (windowStartNanos < 0) {
            windowStartNanos = nanos;
            windowStartCount = count;
        } else if (nanos - windowStartNanos >= windowNanos) {
            perSecond = Math.max(0, count - windowStartCount) * 1e9 / (nanos - windowStartNanos);
            firstWindowDone = true;
            // the next window starts where this one ended
            windowStartNanos = nanos;
            windowStartCount = count;
        } else if (!firstWindowDone && nanos > windowStartNanos) {
            // before the first full window: the rate so far, renewed at every observation
            perSecond = Math.max(0, count - windowStartCount) * 1e9 / (nanos - windowStartNanos);
        }
    }

    /** Records per second over the last window; null before two observations. */
    public synchronized Double perSecond() {
        return Double.isNaN(perSecond) ? null : perSecond;
    }

    /** Records per second over the last full window; null until one window has passed. */
    public synchronized Double perSecondOverAWindow() {
        return firstWindowDone ? perSecond : null;
    }

    /** Seconds until {@code remaining} more at the current rate; null when unknown or the rate is 0. */
    public synchronized Long etaSeconds(long remaining) {
        if (remaining <= 0) {
            return 0L;
        }
        if (Double.isNaN(perSecond) || perSecond <= 0) {
            return null;
        }
        return (long) Math.ceil(remaining / perSecond);
    }
}
