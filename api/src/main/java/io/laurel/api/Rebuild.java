package io.laurel.api;

/** A rebuild and its progress. */
public record Rebuild(String id, String projection, int generation, String status, long recordsProcessed, Long recordsTotal, Double progress, Double recordsPerSecond, Long etaSeconds, java.time.Instant startedAt, java.time.Instant finishedAt, String error) {
    /** Whether the rebuild has ended (completed, failed, cancelled). */
    public boolean finished() {
        return finishedAt != null;
    }
}
