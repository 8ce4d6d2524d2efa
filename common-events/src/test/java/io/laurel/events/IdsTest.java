package io.laurel.events;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

    private static long millisOf(UUID v7) {
        return v7.getMostSignificantBits() >>> 16;
    }

    @Test
    void timeOrderedIsVersion7WithTheRfcVariant() {
        UUID id = Ids.timeOrdered();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void timeOrderedCarriesTheCurrentTimeInItsMillisecondPart() {
        long before = System.currentTimeMillis();
        UUID id = Ids.timeOrdered();
        long after = System.currentTimeMillis();

        assertThat(millisOf(id)).isBetween(before, after);
    }

    @Test
    void timeOrderedIncreasesOverTimeInItsMillisecondPart() {
        UUID first = Ids.timeOrdered();
        // Spin (no sleep) until the clock has moved past the first id's millisecond.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.currentTimeMillis() <= millisOf(first) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        UUID second = Ids.timeOrdered();

        assertThat(millisOf(second)).isGreaterThan(millisOf(first));
        assertThat(second).isGreaterThan(first);
        assertThat(second.toString()).isGreaterThan(first.toString());
    }

    @Test
    void timeOrderedIdsAreUnique() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ids.timeOrdered());
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void timeOrderedIdsAllHaveVersion7() {
        for (int i = 0; i < 1_000; i++) {
            UUID id = Ids.timeOrdered();
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        }
    }

    @Test
    void derivedIsDeterministic() {
        assertThat(Ids.derived("evt-1", "rule-1", "3", "awarded"))
                .isEqualTo(Ids.derived("evt-1", "rule-1", "3", "awarded"));
    }

    @Test
    void derivedDiffersPerPart() {
        UUID base = Ids.derived("evt-1", "rule-1", "3", "awarded");

        assertThat(Ids.derived("evt-2", "rule-1", "3", "awarded")).isNotEqualTo(base);
        assertThat(Ids.derived("evt-1", "rule-2", "3", "awarded")).isNotEqualTo(base);
        assertThat(Ids.derived("evt-1", "rule-1", "4", "awarded")).isNotEqualTo(base);
        assertThat(Ids.derived("evt-1", "rule-1", "3", "revoked")).isNotEqualTo(base);
    }

    @Test
    void derivedKeepsPartsApart() {
        // Concatenating without a separator would make these equal.
        assertThat(Ids.derived("ab", "c")).isNotEqualTo(Ids.derived("a", "bc"));
        assertThat(Ids.derived("a", "b")).isNotEqualTo(Ids.derived("ab"));
    }

    @Test
    void derivedDependsOnPartOrder() {
        assertThat(Ids.derived("a", "b")).isNotEqualTo(Ids.derived("b", "a"));
    }

    @Test
    void derivedIsANameBasedUuid() {
        assertThat(Ids.derived("x").version()).isEqualTo(3);
    }
}
