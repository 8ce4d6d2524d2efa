package io.laurel.runtime.projection;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner's states become the statuses shared/API.md names, and nothing else. */
class ProjectionStatusNamesTest {

    @ParameterizedTest(name = "{0}, holds partitions {1}, lag {2} -> {3}")
    @CsvSource({
            "starting, false, 0, assigning",
            "running, false, 0, assigning",
            "running, true, 0, running",
            "running, true, 2000, running",
            "running, true, 2001, catching_up",
            "rebuilding, true, 10, running",
            "retrying, true, 0, outage",
            "retrying, false, 5000, outage",
            "failed, true, 0, failed",
            "stopped, false, 0, stopped"})
    void statusesAreTheContractsOwn(String state, boolean holds, long lag, String expected) {
        assertThat(ProjectionManager.status(state, holds, lag)).isEqualTo(expected)
                .isIn("running", "assigning", "catching_up", "outage", "failed", "stopped");
    }
}
