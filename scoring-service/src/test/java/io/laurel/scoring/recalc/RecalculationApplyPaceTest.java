package io.laurel.scoring.recalc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code laurel.recalculation.apply-rate}: how long an apply waits before its next chunk. */
class RecalculationApplyPaceTest {
    private static final long S = 1_000_000_000L;

    @ParameterizedTest(name = "started {0}, now {1}, {2} posted at {3}/s -> wait {4} ns")
    @CsvSource({
            // no limit: never waits
            "0, 0, 2000, 0, 0",
            "0, 0, 1000000, 0, 0",
            // nothing posted yet: the first chunk goes at once
            "0, 0, 0, 100, 0",
            // 2,000 posted at 1,000/s are due at 2 s
            "0, 0, 2000, 1000, 2000000000",
            "0, 500000000, 2000, 1000, 1500000000",
            "0, 2000000000, 2000, 1000, 0",
            // behind the pace (a slow broker): no wait, and no catching up beyond it either
            "0, 9000000000, 2000, 1000, 0",
            // a monotonic clock's start may be any number, negative too
            "-5000000000, -5000000000, 50, 1000, 50000000",
            "7000000000, 7010000000, 50, 1000, 40000000",
            // fractions of a record a second
            "0, 0, 1, 0.5, 2000000000",
            "0, 0, 1, 3, 333333333",
            // a rate so small that the due time is beyond a long: the longest wait, not an overflow into none
            "0, 0, 1, 0.0000000001, 9223372036854775807",
            "0, 0, 1, 0.000000001, 1000000000000000000",
            "9000000000000000000, 9000000000000000000, 2000, 0.000000001, 9223372036854775807",
            "9000000000000000000, 9000000000000000000, 2000, 0.0001, 20000000000000000",
    })
    void waitsUntilThePostedCountIsDueAtTheRate(long started, long now, long posted, double perSecond, long expected) {
        assertThat(RecalculationService.pauseNanos(started, now, posted, perSecond)).isEqualTo(expected);
    }

    @Test
    void aSteadyApplyTakesThePostedCountOverTheRate() {
        long now = 0;
        long posted = 0;
        for (int chunk = 0; chunk < 10; chunk++) {
            now += RecalculationService.pauseNanos(0, now, posted, 250);
            posted += 50; // posting itself takes no time here
        }
        // 450 posted before the 10th chunk at 250/s: the 10th chunk left at 1.8 s
        assertThat(now).isEqualTo(18 * S / 10);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, -0.001, Double.NaN, Double.POSITIVE_INFINITY})
    void aRateThatIsNotZeroOrPositiveIsRefusedAtStart(double rate) {
        assertThatThrownBy(() -> new RecalculationService(null, null, null, null, null, null, 2000, rate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("laurel.recalculation.apply-rate");
    }

    @Test
    void aChunkBelowOneIsRefusedAtStart() {
        assertThatThrownBy(() -> new RecalculationService(null, null, null, null, null, null, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("laurel.recalculation.apply-chunk");
    }
}
