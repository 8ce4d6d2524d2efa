package io.laurel.scoring.redemption;

import io.laurel.scoring.redemption.WalletMessages.Confirm;
import io.laurel.scoring.redemption.WalletMessages.HoldConfirmed;
import io.laurel.scoring.redemption.WalletMessages.HoldReleased;
import io.laurel.scoring.redemption.WalletMessages.InsufficientPoints;
import io.laurel.scoring.redemption.WalletMessages.NotHeld;
import io.laurel.scoring.redemption.WalletMessages.Outcome;
import io.laurel.scoring.redemption.WalletMessages.PointsHeld;
import io.laurel.scoring.redemption.WalletMessages.Redeem;
import io.laurel.scoring.redemption.WalletMessages.RedemptionCompleted;
import io.laurel.scoring.redemption.WalletMessages.RedemptionNotFound;
import io.laurel.scoring.redemption.WalletMessages.Release;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

class WalletAggregateTest {
    private static final String WALLET = "acme/ann/points";
    private static final Instant AT = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant UNTIL = AT.plusSeconds(900);
    private AggregateTestFixture<WalletAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(WalletAggregate.class);
    }

    private static Redeem redeem(String id, long points, long earned) {
        return new Redeem(WALLET, "acme", "ann", "points", id, points, "mug", earned, null, AT);
    }

    private static Redeem hold(String id, long points, long earned) {
        return new Redeem(WALLET, "acme", "ann", "points", id, points, "mug", earned, UNTIL, AT);
    }

    private static RedemptionCompleted completed(String id, long points) {
        return new RedemptionCompleted(WALLET, "acme", "ann", "points", id, points, "mug", AT);
    }

    private static PointsHeld held(String id, long points) {
        return new PointsHeld(WALLET, "acme", "ann", "points", id, points, "mug", UNTIL, AT);
    }

    @Test
    void aRedemptionWithinWhatWasEarnedCompletes() {
        fixture.givenNoPriorActivity()
                .when(redeem("r1", 60, 100))
                .expectEvents(completed("r1", 60))
                .expectResultMessagePayload(new Outcome("r1", RedemptionStatus.COMPLETED));
    }

    @Test
    void whatWasRedeemedBeforeIsNotAvailableAgain() {
        fixture.given(completed("r1", 60))
                .when(redeem("r2", 50, 100))
                .expectNoEvents()
                .expectException(InsufficientPoints.class)
                .expectExceptionMessage("Only 40 points are available; 50 were asked for.");
    }

    @Test
    void exactlyTheAvailablePointsCanBeSpent() {
        fixture.given(completed("r1", 60))
                .when(redeem("r2", 40, 100))
                .expectEvents(completed("r2", 40));
    }

    @Test
    void aRepeatedRedemptionIdReturnsTheFirstOutcomeAndSpendsNothing() {
        fixture.given(completed("r1", 60))
                .when(redeem("r1", 60, 100))
                .expectNoEvents()
                .expectResultMessagePayload(new Outcome("r1", RedemptionStatus.COMPLETED));
    }

    @Test
    void heldPointsAreNotAvailable() {
        fixture.given(held("h1", 70))
                .when(redeem("r2", 40, 100))
                .expectException(InsufficientPoints.class);
    }

    @Test
    void aHoldReservesPoints() {
        fixture.givenNoPriorActivity()
                .when(hold("h1", 70, 100))
                .expectEvents(held("h1", 70))
                .expectResultMessagePayload(new Outcome("h1", RedemptionStatus.HELD));
    }

    @Test
    void aConfirmedHoldIsRedeemed() {
        fixture.given(held("h1", 70))
                .when(new Confirm(WALLET, "h1", AT))
                .expectEvents(new HoldConfirmed(WALLET, "acme", "ann", "points", "h1", 70, "mug", AT))
                .expectResultMessagePayload(new Outcome("h1", RedemptionStatus.COMPLETED));
    }

    @Test
    void aReleasedHoldGivesItsPointsBack() {
        fixture.given(held("h1", 70), new HoldReleased(WALLET, "acme", "ann", "points", "h1", 70, "expired", AT))
                .when(redeem("r2", 100, 100))
                .expectEvents(completed("r2", 100));
    }

    @Test
    void aConfirmedHoldCountsAsRedeemed() {
        fixture.given(held("h1", 70), new HoldConfirmed(WALLET, "acme", "ann", "points", "h1", 70, "mug", AT))
                .when(redeem("r2", 31, 100))
                .expectException(InsufficientPoints.class);
    }

    @Test
    void releasingIsIdempotentButAReleasedHoldCannotBeConfirmed() {
        fixture.given(held("h1", 70), new HoldReleased(WALLET, "acme", "ann", "points", "h1", 70, "released", AT))
                .when(new Release(WALLET, "h1", "released", AT))
                .expectNoEvents()
                .expectResultMessagePayload(new Outcome("h1", RedemptionStatus.RELEASED));
        fixture.given(held("h1", 70), new HoldReleased(WALLET, "acme", "ann", "points", "h1", 70, "released", AT))
                .when(new Confirm(WALLET, "h1", AT))
                .expectException(NotHeld.class);
    }

    @Test
    void aCompletedRedemptionCannotBeReleased() {
        fixture.given(completed("r1", 10))
                .when(new Release(WALLET, "r1", "released", AT))
                .expectException(NotHeld.class);
    }

    @Test
    void anUnknownRedemptionCannotBeConfirmed() {
        fixture.given(completed("r1", 10))
                .when(new Confirm(WALLET, "nope", AT))
                .expectException(RedemptionNotFound.class);
    }

    @Test
    void aNegativeBalanceAllowsNoRedemption() {
        // points were revoked after being spent: earned is now below what was redeemed
        fixture.given(completed("r1", 80))
                .when(redeem("r2", 1, 50))
                .expectException(InsufficientPoints.class)
                .expectExceptionMessage("Only 0 points are available; 1 were asked for.");
    }
}
