package io.laurel.ingest.quota;

/**
 * A token bucket: {@code rate} tokens a second up to {@code burst}. A request for {@code n} tokens is granted when
 * the bucket holds at least {@code min(n, burst)}; it may then go below zero (a batch larger than the burst is
 * admitted from a full bucket and paid back before the next). Plain Java, time from the caller.
 */
public final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double rate, double burst, long nowNanos) {
        if (rate <= 0 || burst < 1) {
            throw new IllegalArgumentException("a bucket needs a positive rate and a burst of at least 1");
        }
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /**
     * Takes {@code n} tokens, or none: returns 0 when granted, else the nanoseconds until the request would be
     * granted (for a Retry-After).
     */
    public synchronized long take(int n, long nowNanos) {
        if (n <= 0) {
            return 0;
        }
        refill(nowNanos);
        double needed = Math.min(n, burst);
        if (tokens >= needed) {
            tokens -= n;
            return 0;
        }
        return (long) Math.ceil((needed - tokens) / rate * 1e9);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed / 1e9 * rate);
            last = nowNanos;
        }
    }

    public double rate() {
        return rate;
    }

    public double burst() {
        return burst;
    }
}
