package io.laurel.runtime.projection;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;

import static org.assertj.core.api.Assertions.assertThat;

class RebuildSwitchGapTest {

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
        assertThat(Rebuild.switchGap(perSecond)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullSource
    void noPaceMeasuredYetMeansTheLeastGap(Double perSecond) {
        assertThat(Rebuild.switchGap(perSecond)).isEqualTo(Rebuild.SWITCH_GAP);
    }
}
