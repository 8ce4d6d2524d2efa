package io.laurel.badge.challenge;

import io.laurel.badge.challenge.engine.ChallengeProgress;

import io.laurel.badge.challenge.engine.ChallengeProgress.StepProgress;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.catalog.ChallengeDefinition.Step;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A user's progress as the API shows it: status against the clock, weighted percentage, each step. */
class ChallengeViewTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static ChallengeDefinition challenge(String ends, String timeBox, Step... steps) {
        return new ChallengeDefinition("acme", "c", "C", null, null, false, List.of(steps), null,
                ends == null ? null : Instant.parse(ends), timeBox, 10L, "points", null, true, 1, T0, T0);
    }

    private static Step step(String id, long threshold, Integer weight) {
        return new Step(id, id, ChallengeDefinition.COUNT, "post", threshold, null, null, null, null, weight);
    }

    private static StepProgress passed(long value) {
        return new StepProgress(value, StepProgress.NO_PERIOD, T0, T0);
    }

    private static ChallengeProgress started(Map<String, StepProgress> steps, Instant completed) {
        return new ChallengeProgress(1, T0, completed, T0, steps);
    }

    @Test
    void notStartedInProgressCompletedAndTheWeightedPercentage() {
        ChallengeDefinition c = challenge(null, null, step("a", 2, 3), step("b", 5, null));
        io.laurel.api.ChallengeStanding none = ChallengeController.progress(c, ChallengeProgress.NONE, T0);
        assertThat(none.status()).isEqualTo("not_started");
        assertThat(none.percent()).isEqualTo(0);
        assertThat(none.stepsTotal()).isEqualTo(2);

        io.laurel.api.ChallengeStanding half = ChallengeController.progress(c, started(Map.of("a", passed(2),
                "b", new StepProgress(7, StepProgress.NO_PERIOD, null, null)), null), T0.plusSeconds(60));
        assertThat(half.status()).isEqualTo("in_progress");
        assertThat(half.stepsPassed()).isEqualTo(1);
        assertThat(half.percent()).isEqualTo(75); // weights 3 of 4
        List<io.laurel.api.StepStanding> steps = half.steps();
        assertThat(steps.get(1).progress()).isEqualTo(5L); // shown up to the target
        assertThat(steps.get(1).passed()).isFalse();

        io.laurel.api.ChallengeStanding done = ChallengeController.progress(c, started(Map.of("a", passed(2), "b", passed(5)),
                T0.plusSeconds(30)), T0.plusSeconds(60));
        assertThat(done.status()).isEqualTo("completed");
        assertThat(done.percent()).isEqualTo(100);
        assertThat(done.completedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:30Z"));
    }

    @Test
    void aDeadlineOrATimeBoxThatRanOutExpiresTheAttempt() {
        ChallengeDefinition boxed = challenge("2026-04-01T00:00:00Z", "PT48H", step("a", 2, null));
        ChallengeProgress one = started(Map.of("a", new StepProgress(1, StepProgress.NO_PERIOD, null, null)), null);
        io.laurel.api.ChallengeStanding running = ChallengeController.progress(boxed, one, T0.plusSeconds(3600));
        assertThat(running.status()).isEqualTo("in_progress");
        assertThat(running.timeBoxEndsAt()).isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));

        io.laurel.api.ChallengeStanding ranOut = ChallengeController.progress(boxed, one, Instant.parse("2026-03-03T10:00:00Z"));
        assertThat(ranOut.status()).isEqualTo("expired");
        assertThat(ranOut.canRestart()).isEqualTo(true);

        io.laurel.api.ChallengeStanding over = ChallengeController.progress(boxed, one, Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(over.status()).isEqualTo("expired");
        assertThat(over.canRestart()).isEqualTo(false);
        assertThat(ChallengeController.progress(boxed, ChallengeProgress.NONE, Instant.parse("2026-04-02T00:00:00Z"))
                .status()).isEqualTo("expired");

        // completed stays completed whatever the clock says
        ChallengeProgress completed = started(Map.of("a", passed(2)), T0.plusSeconds(5));
        assertThat(ChallengeController.progress(boxed, completed, Instant.parse("2027-01-01T00:00:00Z")).status())
                .isEqualTo("completed");
    }
}
