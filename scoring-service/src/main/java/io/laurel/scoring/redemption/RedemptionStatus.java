package io.laurel.scoring.redemption;

/** The states of a redemption: completed (spent), held (reserved until confirmed or released), released. */
public final class RedemptionStatus {
    public static final String COMPLETED = "completed";
    public static final String HELD = "held";
    public static final String RELEASED = "released";

    private RedemptionStatus() {
    }
}
