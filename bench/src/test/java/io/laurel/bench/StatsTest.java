package io.laurel.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StatsTest {

    private static long[] oneToHundred() {
        long[] v = new long[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return v;
    }

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        long[] v = oneToHundred();
        assertThat(Stats.percentile(v, 50)).isEqualTo(50);
        assertThat(Stats.percentile(v, 99)).isEqualTo(99);
        assertThat(Stats.percentile(v, 99.5)).isEqualTo(100);
        assertThat(Stats.percentile(v, 100)).isEqualTo(100);
        assertThat(Stats.percentile(v, 1)).isEqualTo(1);
        assertThat(Stats.percentile(v, 0)).isEqualTo(1);
    }

    @Test
    void percentilesOfSmallSamplesPickAnActualValue() {
        long[] v = {10, 20, 30, 40};
        assertThat(Stats.percentile(v, 50)).isEqualTo(20);
        assertThat(Stats.percentile(v, 51)).isEqualTo(30);
        assertThat(Stats.percentile(v, 75)).isEqualTo(30);
        assertThat(Stats.percentile(v, 99)).isEqualTo(40);
        assertThat(Stats.percentile(new long[]{7}, 50)).isEqualTo(7);
        assertThat(Stats.percentile(new long[]{7}, 99)).isEqualTo(7);
    }

    @Test
    void p99OfFourHundredSamplesIsTheFourthLargest() {
        long[] v = new long[400];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000L + i;
        }
        assertThat(Stats.percentile(v, 99)).isEqualTo(v[395]);
        assertThat(Stats.percentile(v, 50)).isEqualTo(v[199]);
    }

    @Test
    void percentileRejectsEmptyArraysAndOutOfRangePercentiles() {
        assertThatThrownBy(() -> Stats.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(null, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(new long[]{1}, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(new long[]{1}, 100.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(new long[]{1}, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratesAndRatios() {
        assertThat(Stats.perSecond(20_000, 4_000_000_000L)).isCloseTo(5_000.0, within(1e-9));
        assertThat(Stats.perSecond(1, 0)).isZero();
        assertThat(Stats.ratio(1_234, 24_680)).isCloseTo(0.05, within(1e-12));
        assertThat(Stats.ratio(5, 0)).isNaN();
        assertThat(Stats.ratio(5, -1)).isNaN();
    }

    @Test
    void formatting() {
        assertThat(Stats.formatRatio(0.05)).isEqualTo("0.050×");
        assertThat(Stats.formatRatio(0.456)).isEqualTo("0.46×");
        assertThat(Stats.formatRatio(1.3)).isEqualTo("1.30×");
        assertThat(Stats.formatRatio(Double.NaN)).isEqualTo("n/a");
        assertThat(Stats.formatRate(12_345.6)).isEqualTo("12,346");
        assertThat(Stats.formatMillis(12_345_678)).isEqualTo("12.3");
    }

    @Test
    void optionsParseDefaultsAndOverrides() {
        Options d = Options.parse();
        assertThat(d.events()).isEqualTo(20_000);
        assertThat(d.warmup()).isEqualTo(2_000);
        assertThat(d.out().toString()).isEqualTo("docs/benchmarks.md");
        assertThat(d.help()).isFalse();
        Options o = Options.parse("--events=5000", "--out=/tmp/x.md", "--concurrency=8");
        assertThat(o.events()).isEqualTo(5000);
        assertThat(o.concurrency()).isEqualTo(8);
        assertThat(o.out().toString()).isEqualTo("/tmp/x.md");
        assertThat(Options.parse("--help").help()).isTrue();
        assertThatThrownBy(() -> Options.parse("--events=0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse("--bogus=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse("events=1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void procStatCpuLine() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] m = CpuMeter.parseCpuLine("cpu  100 5 50 800 20 3 2 20 7 0");
        assertThat(m[0]).isEqualTo(1000);
        assertThat(m[1]).isEqualTo(180);
        assertThat(m[2]).isEqualTo(20);
        assertThatThrownBy(() -> CpuMeter.parseCpuLine("cpu0 1 2 3 4")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void baselineSeriesUsesTheMedianRun() {
        Baselines.Result slow = new Baselines.Result("x", 1_000, 1_000_000_000L);   // 1,000/s
        Baselines.Result mid = new Baselines.Result("x", 1_000, 500_000_000L);      // 2,000/s
        Baselines.Result fast = new Baselines.Result("x", 1_000, 250_000_000L);     // 4,000/s
        Baselines.Series three = new Baselines.Series("x", java.util.List.of(fast, slow, mid));
        assertThat(three.median()).isSameAs(mid);
        assertThat(three.min()).isCloseTo(1_000.0, within(1e-9));
        assertThat(three.max()).isCloseTo(4_000.0, within(1e-9));
        assertThat(new Baselines.Series("x", java.util.List.of(fast, slow)).median()).isSameAs(slow);
        assertThatThrownBy(() -> new Baselines.Series("x", java.util.List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
