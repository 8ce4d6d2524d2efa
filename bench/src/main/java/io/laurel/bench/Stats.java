package io.laurel.bench;

/** The arithmetic of the report: percentiles, rates and ratios. Plain functions, no state. */
public final class Stats {
    private Stats() {
    }

    /**
     * The nearest-rank percentile of an ascending array: the smallest value such that at least
     * {@code p} percent of the values are at or below it. {@code p = 0} gives the minimum,
     * {@code p = 100} the maximum.
     *
     * @throws IllegalArgumentException when the array is empty or {@code p} is outside 0..100
     */
    public static long percentile(long[] sorted, double p) {
        if (sorted == null || sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (Double.isNaN(p) || p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be 0 to 100: " + p);
        }
        if (p == 0) {
            return sorted[0];
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** Items per second, given how many and how long in nanoseconds; 0 for a non-positive duration. */
    public static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1_000_000_000.0 / nanos;
    }

    /** {@code value / baseline}; NaN when the baseline is not positive. */
    public static double ratio(double value, double baseline) {
        return baseline > 0 ? value / baseline : Double.NaN;
    }

    /** A ratio as the report shows it: {@code 0.052×}, {@code 1.30×}, {@code n/a}. */
    public static String formatRatio(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "n/a";
        }
        return ratio < 0.1 ? String.format(java.util.Locale.ROOT, "%.3f×", ratio)
                : String.format(java.util.Locale.ROOT, "%.2f×", ratio);
    }

    /** A rate rounded to whole units, with thousands separators: {@code 12,345}. */
    public static String formatRate(double perSecond) {
        return String.format(java.util.Locale.ROOT, "%,d", Math.round(perSecond));
    }

    /** Milliseconds with one decimal from nanoseconds: {@code 12.3}. */
    public static String formatMillis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1_000_000.0);
    }
}
