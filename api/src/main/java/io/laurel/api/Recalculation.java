package io.laurel.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A recalculation: {@code running} (its dry run), {@code ready}, {@code applying}, {@code applied}, {@code failed} or
 * {@code cancelled}. Every field is written, unknown ones as null. {@code progress} is 0 to 1 of the dry run's records
 * while running, of the entries to post while applying.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Recalculation(String id, String status, Instant from, Instant to, List<String> eventTypes,
                            List<String> userIds, long eventsScanned, Double progress, Long etaSeconds,
                            Long recordsPerSecond, long recordsTotal, long usersChanged, long entriesChanged,
                            long eventsChanged, long eventsApplied, List<CurrencyTotal> totals, Instant createdAt,
                            Instant finishedAt, Instant appliedAt, String error) {
    /** Whether the dry run has ended: ready to apply, or over for good. */
    public boolean settled() {
        return !"running".equals(status) && !"applying".equals(status);
    }
}
