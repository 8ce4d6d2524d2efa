package io.laurel.runtime.projection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;

import static org.assertj.core.api.Assertions.assertThat;

class CatchUpTest {
    private static final long MS = 1_000_000L;

    @ParameterizedTest(name = "{0} records/s -> caught up within {1}")
    @CsvSource({
            "0, 1000",
            "0.5, 1000",
            "999.9, 1000",
            "1000, 1000",
            "1000.5, 1000",
            "1001, 1001",
            "7500.9, 7500",
            "49999, 49999",
            "50000, 50000",
            "50001, 50000",
            "2000000, 50000",
            "Infinity, 50000",
            "NaN, 1000",
    })
    void aSecondOfTheMeasuredPaceBetweenTheBounds(double perSecond, long expected) {
        assertThat(CatchUp.threshold(perSecond)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullSource
    void noPaceMeasuredYetMeansTheLeastGap(Double perSecond) {
        assertThat(CatchUp.threshold(perSecond)).isEqualTo(CatchUp.MIN_GAP);
    }

    @Test
    void untilAFullSecondIsMeasuredOnlyTheLeastGapCounts() {
        CatchUp c = new CatchUp();
        assertThat(c.look(0, 0, 500_000)).isFalse();
        // 20,000 folded in 900 ms, but no full second yet: 5,000 left is not caught up
        assertThat(c.look(900 * MS, 20_000, 5_000)).isFalse();
        assertThat(c.look(950 * MS, 21_000, 1_000)).isTrue();
        assertThat(c.look(960 * MS, 21_100, 1_001)).isFalse();
        // a full second at 25,000/s: within 25,000 is caught up
        assertThat(c.look(1000 * MS, 25_000, 25_000)).isTrue();
        assertThat(c.look(1100 * MS, 26_000, 25_001)).isFalse();
    }

    @Test
    void aNewSetUpMeasuresItsPaceAgain() {
        CatchUp c = new CatchUp();
        c.look(0, 0, 900_000);
        assertThat(c.look(1000 * MS, 40_000, 30_000)).as("40,000/s with the helpers").isTrue();
        c.setUpChanged(); // the helpers stopped: one consumer, perhaps far slower
        assertThat(c.look(1100 * MS, 40_100, 30_000)).isFalse();
        assertThat(c.look(1500 * MS, 42_000, 1_000)).isTrue();
        assertThat(c.look(2100 * MS, 46_100, 8_000)).as("6,000/s measured over a second of the new set-up").isFalse();
        assertThat(c.look(2200 * MS, 46_500, 6_000)).isTrue();
    }

    @Test
    void readyOnceLevel() {
        CatchUp c = new CatchUp();
        c.look(0, 0, 3_000);
        assertThat(c.ready()).isFalse();
        c.look(100 * MS, 2_000, 800);
        assertThat(c.ready()).as("caught up, not level, not for a second yet").isFalse();
        c.look(200 * MS, 3_000, 0);
        assertThat(c.ready()).isTrue();
        c.look(300 * MS, 3_050, 700);
        assertThat(c.ready()).as("stays ready while caught up").isTrue();
        c.look(400 * MS, 3_060, 5_000);
        assertThat(c.ready()).as("fell behind").isFalse();
        c.look(500 * MS, 8_000, 900);
        assertThat(c.ready()).as("caught up again, but neither level nor for a second").isFalse();
    }

    @Test
    void readyAfterASecondCaughtUpWithoutEverBeingLevel() {
        CatchUp c = new CatchUp();
        long folded = 0;
        for (int look = 0; look <= 9; look++) {
            folded += 400;
            c.look(look * 100 * MS, folded, 600);
            assertThat(c.ready()).as("look %d", look).isFalse();
        }
        c.look(1000 * MS, folded + 400, 600);
        assertThat(c.ready()).isTrue();
    }

    @Test
    void aNewSetUpIsNotReadyUntilItIsCaughtUpAgain() {
        CatchUp c = new CatchUp();
        c.look(0, 0, 0);
        assertThat(c.ready()).isTrue();
        c.setUpChanged(); // the indexes are built next: nothing is ready before they are
        assertThat(c.ready()).isFalse();
        c.look(100 * MS, 0, 0);
        assertThat(c.ready()).isTrue();
    }
}
