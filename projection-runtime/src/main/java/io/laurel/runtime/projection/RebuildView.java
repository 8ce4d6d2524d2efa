package io.laurel.runtime.projection;

import java.time.Instant;

/** Progress of one rebuild, as {@code GET /v1/ops/rebuilds/{id}} shows it. */
public record RebuildView(
        String id,
        String projection,
        int generation,
        String status,
        Instant startedAt,
        Instant finishedAt,
        long recordsProcessed,
        Double progress,
        String error) {
}
