package io.laurel.leaderboard.board;

import io.laurel.leaderboard.board.BoardIndexes.Snapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "100:100: | 100 | 100 | ''",
            "7:12:7,9,11 | 7 | 12 | 7 9 11",
            "3:3: | 3 | 3 | ''",
            "9223372036854775800:9223372036854775807:9223372036854775801 | 9223372036854775800 | 9223372036854775807 | 9223372036854775801",
    })
    void parsesPostgresText(String text, long xmin, long xmax, String running) {
        Snapshot s = Snapshot.parse(text.strip());
        assertThat(s.xmin()).isEqualTo(xmin);
        assertThat(s.xmax()).isEqualTo(xmax);
        assertThat(s.running()).containsExactlyInAnyOrderElementsOf(running.isBlank() ? java.util.List.of()
                : java.util.Arrays.stream(running.split(" ")).map(Long::valueOf).toList());
    }
}
