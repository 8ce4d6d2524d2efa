package io.laurel.ops.cli;

import java.util.List;
import java.util.Locale;

/** Plain-text rendering: tables, counts, durations, and the one-line progress bar. */
final class Format {
    private Format() {
    }

    static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                b.append(row[i]);
                if (i < columns - 1) {
                    b.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 42 s, 3 min 05 s, 2 h 07 min; "unknown" for null. */
    static String duration(Long seconds) {
        if (seconds == null) {
            return "unknown";
        }
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** {@code [########------------]  40%} for a fraction in [0, 1] (clamped), {@code width} cells wide. */
    static String bar(double fraction, int width) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.floor(f * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(f * 100));
    }
}
