package io.laurel.runtime.projection;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;

/**
 * Progress of one rebuild, as {@code GET /v1/ops/rebuilds/{id}} shows it. {@code recordsTotal} is what the
 * new generation has to fold to reach the live one (it grows while live records arrive); the rate is over
 * the last few seconds; {@code etaSeconds} is null while unknown (no rate yet, or the rebuild stalled). An
 * ended rebuild reports the records it folded as a rebuild and its average rate from start to end, the
 * switch included.
 */
public record RebuildView(
        String id,
        String projection,
        int generation,
        String status,
        Instant startedAt,
        Instant finishedAt,
        long recordsProcessed,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long recordsTotal,
        Double progress,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double recordsPerSecond,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long etaSeconds,
        String error) {

    /** A rebuild no longer under way, as stored: its average rate (switch included), nothing left once completed. */
    static RebuildView stored(String id, String projection, int generation, String status, Instant startedAt,
                              Instant finishedAt, long records, String error) {
        boolean completed = "completed".equals(status);
        Double rate = null;
        if (finishedAt != null) {
            long millis = Math.max(1, Duration.between(startedAt, finishedAt).toMillis());
            rate = records * 1000.0 / millis;
        }
        return new RebuildView(id, projection, generation, status, startedAt, finishedAt, records,
                completed ? Long.valueOf(records) : null, completed ? 1.0 : null, rate, completed ? 0L : null, error);
    }
}
