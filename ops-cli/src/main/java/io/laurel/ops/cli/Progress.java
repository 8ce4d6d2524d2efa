package io.laurel.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Follows a long operation (a rebuild, a recalculation) by polling its resource until it is done: on a
 * terminal one line redrawn in place at every poll, otherwise a plain line every few seconds and at the end.
 */
final class Progress {
    /** ANSI: clears what a longer previous line left on the terminal. */
    private static final String ERASE_TO_END_OF_LINE = "\u001b[K";
    /** A plain progress line at most this often (a live bar redraws at every poll). */
    private static final long PLAIN_EVERY_NANOS = 3_000_000_000L;

    private Progress() {
    }

    /**
     * Polls {@code path} until {@code done} holds for the answer, printing {@code line(answer, live)}; returns
     * the last answer.
     */
    static JsonNode follow(OpsApi api, String path, Predicate<JsonNode> done, BiFunction<JsonNode, Boolean, String> line,
                           boolean live, Duration pollEvery, PrintWriter out) throws InterruptedException {
        long lastPlain = 0;
        while (true) {
            JsonNode r = api.get(path);
            boolean finished = done.test(r);
            long now = System.nanoTime();
            if (live) {
                out.print("\r" + line.apply(r, true) + ERASE_TO_END_OF_LINE);
                out.flush();
            } else if (finished || now - lastPlain >= PLAIN_EVERY_NANOS) {
                out.println(line.apply(r, false));
                out.flush();
                lastPlain = now;
            }
            if (finished) {
                if (live) {
                    out.println();
                }
                return r;
            }
            Thread.sleep(pollEvery.toMillis());
        }
    }
}
