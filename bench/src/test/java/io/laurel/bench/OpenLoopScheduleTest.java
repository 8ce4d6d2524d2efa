package io.laurel.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OpenLoopScheduleTest {
    private static final long MS = 1_000_000L;

    @Test
    void countIsWhatFitsInTheDuration() {
        assertThat(OpenLoopSchedule.of(100, Duration.ofSeconds(15)).count()).isEqualTo(1_500);
        assertThat(OpenLoopSchedule.of(268.8, Duration.ofSeconds(15)).count()).isEqualTo(4_032);
        assertThat(OpenLoopSchedule.of(0.5, Duration.ofSeconds(1)).count()).isEqualTo(1); // at least one
        assertThat(OpenLoopSchedule.of(100, Duration.ofSeconds(15)).durationNanos()).isEqualTo(15_000 * MS);
    }

    @Test
    void offsetsAreEvenlySpacedAndDoNotDrift() {
        OpenLoopSchedule s = new OpenLoopSchedule(300, 9_000);
        assertThat(s.offsetNanos(0)).isZero();
        assertThat(s.offsetNanos(1)).isEqualTo(3_333_333);
        assertThat(s.offsetNanos(2)).isEqualTo(6_666_667);
        assertThat(s.offsetNanos(3)).isEqualTo(10 * MS);
        // after 30 s the 9,000th-but-one request is due exactly at 30 s minus one interval; adding a rounded
        // interval 8,999 times would be 3 µs early
        assertThat(s.offsetNanos(8_999)).isEqualTo(29_996_666_667L);
        assertThat(8_999 * s.offsetNanos(1)).isEqualTo(29_996_663_667L);
        for (int i = 1; i < s.count(); i++) {
            long gap = s.offsetNanos(i) - s.offsetNanos(i - 1);
            assertThat(gap).isBetween(3_333_333L, 3_333_334L);
        }
    }

    @Test
    void rateIsTheFractionOfCapacity() {
        assertThat(OpenLoopSchedule.rateAt(384, 0.7)).isCloseTo(268.8, within(1e-9));
        assertThat(OpenLoopSchedule.rateAt(1_000, 1.0)).isCloseTo(1_000, within(1e-9));
        assertThatThrownBy(() -> OpenLoopSchedule.rateAt(0, 0.7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenLoopSchedule.rateAt(Double.NaN, 0.7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenLoopSchedule.rateAt(100, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenLoopSchedule.rateAt(100, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(Double.POSITIVE_INFINITY, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(10, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenLoopSchedule.of(10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        OpenLoopSchedule s = new OpenLoopSchedule(10, 3);
        assertThatThrownBy(() -> s.offsetNanos(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.offsetNanos(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.latencies(0, new long[2])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latencyIsFromTheDueTimeNotFromTheStartOfTheRun() {
        OpenLoopSchedule s = new OpenLoopSchedule(100, 4); // due at 0, 10, 20, 30 ms
        long start = 5_000 * MS; // an arbitrary nanoTime reading
        long[] completed = {start + 3 * MS, start + 14 * MS, OpenLoopSchedule.NOT_COMPLETED, start + 31 * MS};
        assertThat(s.latencies(start, completed)).containsExactly(1 * MS, 3 * MS, 4 * MS);
        // negative nanoTime readings are as good as any
        long negative = -7_000 * MS;
        long[] shifted = {negative + 3 * MS, negative + 14 * MS, negative + 22 * MS, negative + 31 * MS};
        assertThat(s.latencies(negative, shifted)).containsExactly(1 * MS, 2 * MS, 3 * MS, 4 * MS);
    }

    /**
     * A server answering one request at a time in 2 ms, which stalls for 200 ms once. At 100 requests/s the
     * requests due during the stall queue behind it, and the queue takes a while to drain: measured from their
     * due times, 25 of 1,000 take longer than 2 ms (p99 120 ms); measured from when the server took each up
     * (what a sender that waits for each answer before sending the next would see), only the stalled one does.
     */
    @Test
    void aStallShowsInEveryRequestThatWaitedBehindIt() {
        OpenLoopSchedule s = new OpenLoopSchedule(100, 1_000);
        long start = 123 * MS;
        long[] completed = new long[s.count()];
        long[] taken = new long[s.count()];
        long free = start;
        for (int i = 0; i < s.count(); i++) {
            long due = start + s.offsetNanos(i);
            long begin = Math.max(due, free);
            long service = i == 500 ? 200 * MS : 2 * MS;
            taken[i] = begin;
            free = begin + service;
            completed[i] = free;
        }
        long[] fromDue = s.latencies(start, completed);
        long[] fromTaken = new long[s.count()];
        for (int i = 0; i < s.count(); i++) {
            fromTaken[i] = completed[i] - taken[i];
        }
        Arrays.sort(fromTaken);

        assertThat(Stats.percentile(fromDue, 50)).isEqualTo(2 * MS);
        assertThat(Stats.percentile(fromDue, 100)).isEqualTo(200 * MS);
        // request 500 + j (j = 1..24) was due 10·j ms into the stall and answered 200 + 2·j ms after it began:
        // 200 - 8·j ms; request 525 found the server free again
        assertThat(Arrays.stream(fromDue).filter(l -> l > 100 * MS).count()).isEqualTo(13);
        assertThat(Arrays.stream(fromDue).filter(l -> l > 2 * MS).count()).isEqualTo(25);
        assertThat(Stats.percentile(fromDue, 99)).isEqualTo(120 * MS);

        assertThat(Arrays.stream(fromTaken).filter(l -> l > 2 * MS).count()).isEqualTo(1);
        assertThat(Stats.percentile(fromTaken, 99)).isEqualTo(2 * MS);
    }

    @Test
    void sendDelaysAreHowLateEachRequestLeft() {
        OpenLoopSchedule s = new OpenLoopSchedule(1_000, 3); // due at 0, 1, 2 ms
        long[] sent = {10_000, 1 * MS + 50_000, 2 * MS + 2_000};
        assertThat(s.sendDelays(0, sent)).containsExactly(2_000, 10_000, 50_000);
    }
}
