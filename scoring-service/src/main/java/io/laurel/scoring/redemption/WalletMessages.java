package io.laurel.scoring.redemption;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Commands and events of a wallet: one user's points of one currency, as far as spending them goes. The
 * wallet id is {@code tenant/user/currency}.
 */
public final class WalletMessages {
    private WalletMessages() {
    }

    public static String walletId(String tenant, String userId, String currency) {
        return tenant + "/" + userId + "/" + currency;
    }

    /**
     * Spend {@code points} (or hold them, when {@code holdUntil} is set), given that the user has earned
     * {@code earned} in total so far (from the points journal).
     */
    public record Redeem(@TargetAggregateIdentifier String walletId, String tenant, String userId, String currency,
                         String redemptionId, long points, String description, long earned, Instant holdUntil,
                         Instant at) {
    }

    public record Confirm(@TargetAggregateIdentifier String walletId, String redemptionId, Instant at) {
    }

    public record Release(@TargetAggregateIdentifier String walletId, String redemptionId, String reason, Instant at) {
    }

    public record RedemptionCompleted(String walletId, String tenant, String userId, String currency, String redemptionId,
                                      long points, String description, Instant at) {
    }

    public record PointsHeld(String walletId, String tenant, String userId, String currency, String redemptionId,
                             long points, String description, Instant expiresAt, Instant at) {
    }

    public record HoldConfirmed(String walletId, String tenant, String userId, String currency, String redemptionId,
                                long points, String description, Instant at) {
    }

    public record HoldReleased(String walletId, String tenant, String userId, String currency, String redemptionId,
                               long points, String reason, Instant at) {
    }

    /** What a command left the redemption as. */
    public record Outcome(String redemptionId, String status) {
    }

    /** 409: not enough available points. */
    public static class InsufficientPoints extends RuntimeException {
        private final long available;

        public InsufficientPoints(long available, long wanted) {
            super("Only " + available + " points are available; " + wanted + " were asked for.");
            this.available = available;
        }

        public long available() {
            return available;
        }
    }

    /** 404: no such redemption in this wallet. */
    public static class RedemptionNotFound extends RuntimeException {
        public RedemptionNotFound(String id) {
            super("No redemption " + id + ".");
        }
    }

    /** 409: the redemption is not held (it was completed or released). */
    public static class NotHeld extends RuntimeException {
        private final String status;

        public NotHeld(String id, String status) {
            super("Redemption " + id + " is " + status + ", not held.");
            this.status = status;
        }

        public String status() {
            return status;
        }
    }
}
