package io.laurel.runtime.projection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void unknownBeforeTwoObservations() {
        Rate rate = new Rate(5 * SECOND);
        assertThat(rate.perSecond()).isNull();
        assertThat(rate.etaSeconds(100)).isNull();
        rate.observe(10 * SECOND, 0);
        assertThat(rate.perSecond()).isNull();
        assertThat(rate.etaSeconds(100)).isNull();
    }

    @Test
    void beforeTheFirstFullWindowTheRateSoFar() {
        Rate rate = new Rate(5 * SECOND);
        rate.observe(0, 0);
        rate.observe(2 * SECOND, 1_000);
        assertThat(rate.perSecond()).isEqualTo(500.0);
        assertThat(rate.etaSeconds(2_000)).isEqualTo(4L);
    }

    @Test
    void beforeTheFirstFullWindowTheRateFollowsEveryObservation() {
        Rate rate = new Rate(5 * SECOND);
        rate.observe(0, 0);
        rate.observe(SECOND / 10, 0); // nothing assigned yet
        assertThat(rate.perSecond()).isZero();
        rate.observe(2 * SECOND, 4_000);
        assertThat(rate.perSecond()).isEqualTo(2_000.0);
        rate.observe(4 * SECOND, 12_000);
        assertThat(rate.perSecond()).isEqualTo(3_000.0);
        assertThat(rate.etaSeconds(3_000)).isEqualTo(1L);
    }

    @Test
    void theRateOfTheLastWindowNotTheAverage() {
        Rate rate = new Rate(5 * SECOND);
        rate.observe(0, 0);
        rate.observe(5 * SECOND, 50_000); // 10,000/s
        assertThat(rate.perSecond()).isEqualTo(10_000.0);
        rate.observe(7 * SECOND, 52_000); // within the next window: the last full window stands
        assertThat(rate.perSecond()).isEqualTo(10_000.0);
        rate.observe(10 * SECOND, 55_000); // 1,000/s over the second window
        assertThat(rate.perSecond()).isEqualTo(1_000.0);
        assertThat(rate.etaSeconds(10_000)).isEqualTo(10L);
    }

    @Test
    void etaRoundsUpAndIsZeroWhenNothingRemains() {
        Rate rate = new Rate(SECOND);
        rate.observe(0, 0);
        rate.observe(SECOND, 3);
        assertThat(rate.etaSeconds(10)).isEqualTo(4L);
        assertThat(rate.etaSeconds(0)).isZero();
        assertThat(rate.etaSeconds(-5)).isZero();
    }

    @Test
    void aStalledRebuildHasNoEta() {
        Rate rate = new Rate(SECOND);
        rate.observe(0, 100);
        rate.observe(2 * SECOND, 100);
        assertThat(rate.perSecond()).isZero();
        assertThat(rate.etaSeconds(1)).isNull();
    }

    @Test
    void aCountThatGoesBackIsNotANegativeRate() {
        Rate rate = new Rate(SECOND);
        rate.observe(0, 100);
        rate.observe(SECOND, 40);
        assertThat(rate.perSecond()).isZero();
    }

    @Test
    void theWindowMustBePositive() {
        assertThatThrownBy(() -> new Rate(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overAWindowOnlyOnceAFullWindowHasPassed() {
        Rate rate = new Rate(SECOND);
        assertThat(rate.perSecondOverAWindow()).isNull();
        rate.observe(0, 0);
        rate.observe(SECOND / 2, 3_000);
        assertThat(rate.perSecond()).isEqualTo(6_000.0);
        assertThat(rate.perSecondOverAWindow()).as("half a window").isNull();
        rate.observe(SECOND, 4_000);
        assertThat(rate.perSecondOverAWindow()).isEqualTo(4_000.0);
        rate.observe(3 * SECOND / 2, 10_000); // within the next window: the last full one stands
        assertThat(rate.perSecondOverAWindow()).isEqualTo(4_000.0);
        rate.observe(2 * SECOND, 12_000);
        assertThat(rate.perSecondOverAWindow()).isEqualTo(8_000.0);
    }
}
