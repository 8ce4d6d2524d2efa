package io.laurel.api;

/** A recalculation: running, ready, applying, applied, failed or cancelled. */
public record Recalculation(String id, String status, java.time.Instant from, java.time.Instant to, long eventsScanned, Double progress, Long etaSeconds, long usersChanged, long entriesChanged, java.util.List<CurrencyTotal> totals, String error) {
    /** Whether the dry run has ended: ready to apply, or over for good. */
    public boolean settled() {
        return !"running".equals(status) && !"applying".equals(status);
    }
}
