package io.laurel.scoring.rule;

import java.time.Instant;

/**
 * One counter of a rule's limits for one user: its cap in one calendar period ({@code scope} "cap",
 * {@code periodStart} the period's first instant) or its once-per-user limit ({@code scope} "once",
 * {@code periodStart} the epoch).
 */
public record CapKey(String tenant, String userId, String ruleId, String scope, Instant periodStart) {
    public static final String CAP = "cap";
    public static final String ONCE = "once";
}
