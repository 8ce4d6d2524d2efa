package io.laurel.leaderboard.ranking;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortedBlocksTest {

    @Test
    void emptySetHasNothingBeforeAnyPosition() {
        SortedBlocks<Integer> s = new SortedBlocks<>(Comparator.naturalOrder());
        assertThat(s.size()).isZero();
        assertThat(s.countBefore(e -> -1)).isZero();
        assertThat(s.range(0, 10)).isEmpty();
        assertThat(s.remove(3)).isFalse();
        assertThatThrownBy(() -> s.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void addKeepsOrderAndRefusesDuplicates() {
        SortedBlocks<Integer> s = new SortedBlocks<>(Comparator.naturalOrder());
        assertThat(s.add(5)).isTrue();
        assertThat(s.add(1)).isTrue();
        assertThat(s.add(3)).isTrue();
        assertThat(s.add(3)).isFalse();
        assertThat(s.range(0, 10)).containsExactly(1, 3, 5);
        assertThat(s.indexOf(3)).isEqualTo(1);
        assertThat(s.indexOf(4)).isEqualTo(-3);
    }

    @Test
    void blocksSplitAndEmptyBlocksGo() {
        SortedBlocks<Integer> s = new SortedBlocks<>(Comparator.naturalOrder());
        int n = SortedBlocks.MAX_BLOCK * 5 + 17;
        for (int i = n - 1; i >= 0; i--) {
            s.add(i);
        }
        assertThat(s.size()).isEqualTo(n);
        for (int i = 0; i < n; i += 97) {
            int at = i;
            assertThat(s.get(at)).isEqualTo(at);
            assertThat(s.countBefore(e -> Integer.compare(e, at))).isEqualTo(at);
        }
        for (int i = 0; i < n; i++) {
            assertThat(s.remove(i)).isTrue();
        }
        assertThat(s.size()).isZero();
        assertThat(s.range(0, 1)).isEmpty();
    }

    @Test
    void builtFromASortedListAnswersLikeOneBuiltByAdding() {
        List<Integer> sorted = new ArrayList<>();
        for (int i = 0; i < 5000; i += 2) {
            sorted.add(i);
        }
        SortedBlocks<Integer> s = SortedBlocks.of(sorted, Comparator.naturalOrder());
        assertThat(s.size()).isEqualTo(2500);
        assertThat(s.add(7)).isTrue();
        assertThat(s.get(4)).isEqualTo(7);
        assertThat(s.range(2, 4)).containsExactly(4, 6, 7, 8);
    }

    @Test
    void randomOperationsMatchATreeSet() {
        Random random = new Random(42);
        SortedBlocks<Integer> s = new SortedBlocks<>(Comparator.reverseOrder());
        TreeSet<Integer> model = new TreeSet<>(Comparator.reverseOrder());
        for (int step = 0; step < 60_000; step++) {
            int x = random.nextInt(20_000);
            if (random.nextInt(3) == 0) {
                assertThat(s.remove(x)).isEqualTo(model.remove(x));
            } else {
                assertThat(s.add(x)).isEqualTo(model.add(x));
            }
            if (step % 997 == 0) {
                List<Integer> all = new ArrayList<>(model);
                assertThat(s.size()).isEqualTo(all.size());
                int probe = random.nextInt(20_000);
                // reverse order: elements greater than the probe come first
                assertThat(s.countBefore(e -> e > probe ? -1 : 0)).isEqualTo(model.headSet(probe, false).size());
                if (!all.isEmpty()) {
                    int from = random.nextInt(all.size());
                    assertThat(s.get(from)).isEqualTo(all.get(from));
                    assertThat(s.range(from, 50)).isEqualTo(all.subList(from, Math.min(all.size(), from + 50)));
                }
            }
        }
        assertThat(s.range(0, Integer.MAX_VALUE)).isEqualTo(new ArrayList<>(model));
    }
}
