package io.laurel.leaderboard.board;

import io.laurel.leaderboard.board.BoardIndexes.Snapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTest {

    @ParameterizedTest(name = "{0} holds {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "100:100:        | 99  | true",   // ended before the oldest running one
            "100:100:        | 100 | false",  // not yet started when the snapshot was taken
            "100:105:100,103 | 99  | true",
            "100:105:100,103 | 100 | false",  // running
            "100:105:100,103 | 101 | true",   // committed between the running ones
            "100:105:100,103 | 103 | false",  // running
            "100:105:100,103 | 104 | true",
            "100:105:100,103 | 105 | false",  // at xmax: after the snapshot
            "100:105:100,103 | 999 | false",
            "3:3:            | 1   | true",
            "9223372036854775800:9223372036854775807:9223372036854775801 | 9223372036854775801 | false",
            "9223372036854775800:9223372036854775807:9223372036854775801 | 9223372036854775802 | true",
    })
    void holdsWhatEndedBeforeItWasTaken(String text, long xid, boolean held) {
        assertThat(Snapshot.parse(text.strip()).holds(xid)).isEqualTo(held);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"100:100: | 100 | 100 | 0", "7:12:7,9,11 | 7 | 12 | 3"})
    void parsesPostgresText(String text, long xmin, long xmax, int running) {
        Snapshot s = Snapshot.parse(text.strip());
        assertThat(s.xmin()).isEqualTo(xmin);
        assertThat(s.xmax()).isEqualTo(xmax);
        assertThat(s.running()).hasSize(running);
    }
}
