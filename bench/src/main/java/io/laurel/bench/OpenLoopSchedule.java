package io.laurel.bench;

import java.time.Duration;
import java.util.Arrays;

/**
 * A fixed-rate (open-loop) schedule: request {@code i} is due {@code i / rate} seconds after the start,
 * whatever happened to the requests before it. Its response time is measured from that due time, not
 * from when it was actually sent, so a stall of the server (or of the sender) shows up in every request
 * that had to wait behind it: no coordinated omission.
 *
 * <p>Offsets are computed from {@code i} each time, never by adding an interval repeatedly, so they do not
 * drift: request {@code rate * s} is due exactly {@code s} seconds in.
 */
public record OpenLoopSchedule(double ratePerSecond, int count) {
    /** Marks a request that never completed in the arrays given to {@link #latencies}. */
    public static final long NOT_COMPLETED = Long.MIN_VALUE;

    public OpenLoopSchedule {
        if (Double.isNaN(ratePerSecond) || Double.isInfinite(ratePerSecond) || ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be a positive number: " + ratePerSecond);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
    }

    /** As many requests as fit in {@code duration} at {@code ratePerSecond} (at least one). */
    public static OpenLoopSchedule of(double ratePerSecond, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        double n = Math.floor(ratePerSecond * duration.toNanos() / 1e9);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many requests: " + n);
        }
        return new OpenLoopSchedule(ratePerSecond, (int) Math.max(1, n));
    }

    /** The rate of an open-loop run: {@code fraction} of a measured capacity (requests per second). */
    public static double rateAt(double capacityPerSecond, double fraction) {
        if (!(capacityPerSecond > 0) || Double.isInfinite(capacityPerSecond)) {
            throw new IllegalArgumentException("capacity must be a positive number: " + capacityPerSecond);
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be above 0 and at most 1: " + fraction);
        }
        return capacityPerSecond * fraction;
    }

    /** When request {@code i} is due, in nanoseconds after the start. */
    public long offsetNanos(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("request " + i + " of " + count);
        }
        return Math.round(i * 1e9 / ratePerSecond);
    }

    /** The nominal length of the schedule: {@code count / rate}. */
    public long durationNanos() {
        return Math.round(count * 1e9 / ratePerSecond);
    }

    /**
     * Response times measured from the due times, ascending: {@code completedAt[i] - (start + offsetNanos(i))}
     * for every request that completed ({@code completedAt[i] != NOT_COMPLETED}). {@code start} and the
     * completion times are {@link System#nanoTime()} readings.
     */
    public long[] latencies(long start, long[] completedAt) {
        if (completedAt.length != count) {
            throw new IllegalArgumentException(completedAt.length + " completion times for " + count + " requests");
        }
        long[] out = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (completedAt[i] != NOT_COMPLETED) {
                out[n++] = completedAt[i] - (start + offsetNanos(i));
            }
        }
        long[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * How late each request was actually sent, ascending: {@code sentAt[i] - (start + offsetNanos(i))}; the
     * sender's own share of the response times (0 or a little above when it kept to the schedule).
     */
    public long[] sendDelays(long start, long[] sentAt) {
        return latencies(start, sentAt);
    }
}
