package io.laurel.runtime.projection;

import java.util.concurrent.TimeUnit;

/**
 * When a generation being rebuilt counts as caught up with the live one (so its helpers stop, its readers' indexes
 * are built, and it may switch), and when a manual rebuild shows {@code ready}. Plain logic over the looks the
 * rebuild takes (about ten a second): the time of each, the records folded so far and the gap left.
 *
 * <p>Both generations commit whole batches and the new one never passes the live one's offsets, so under heavy
 * steady input the gap between them stays about a batch or two of the live consumer's: a fixed threshold may never
 * be met. So the threshold is {@value #MIN_GAP} records, or what the new generation folded in a second at the pace
 * measured over the last full second of its current set-up, if more (at most {@value #MAX_GAP}). A new set-up (the
 * helpers stopped, the indexes built: one consumer, keeping indexes) starts a new measurement, and until a full
 * second of it has passed the threshold is {@value #MIN_GAP}: the switch pauses the live consumer while the new
 * generation folds the gap, so the pace it uses must be the one that folds it.
 */
final class CatchUp {
    /** The least gap that counts as caught up. */
    static final long MIN_GAP = 1000;
    /** The most: what one consumer folds in a second or two, whatever its measured pace. */
    static final long MAX_GAP = 50_000;
    /** How long a manual rebuild must have stayed caught up to show {@code ready} without having been level. */
    static final long READY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private Rate pace = new Rate(WINDOW_NANOS);
    private long caughtUpSince = -1;
    private boolean ready;

    /** The threshold for the given pace (records per second over a full window; null: not measured yet). */
    static long threshold(Double recordsPerSecond) {
        if (recordsPerSecond == null || recordsPerSecond.isNaN() || recordsPerSecond <= MIN_GAP) {
            return MIN_GAP;
        }
        return (long) Math.min(recordsPerSecond, MAX_GAP);
    }

    /** The rebuild's consumers changed: the pace measured so far no longer tells how fast the gap is folded. */
    synchronized void setUpChanged() {
        pace = new Rate(WINDOW_NANOS);
        caughtUpSince = -1;
        ready = false;
    }

    /** One look: at {@code nanos} (monotonic), {@code folded} records folded so far, {@code gap} left. Returns whether caught up. */
    synchronized boolean look(long nanos, long folded, long gap) {
        pace.observe(nanos, folded);
        boolean caughtUp = gap <= threshold(pace.perSecondOverAWindow());
        if (!caughtUp) {
            caughtUpSince = -1;
            ready = false;
            return false;
        }
        if (caughtUpSince < 0) {
            caughtUpSince = nanos;
        }
        // level once, or caught up for a second on end (under steady input the two are rarely level at a look);
        // then ready as long as it stays caught up, so "ready" does not flicker
        if (gap == 0 || nanos - caughtUpSince >= READY_AFTER_NANOS) {
            ready = true;
        }
        return true;
    }

    /** Whether a manual rebuild, its set-up final, waits caught up for its switch (as of the last look). */
    synchronized boolean ready() {
        return ready;
    }
}
