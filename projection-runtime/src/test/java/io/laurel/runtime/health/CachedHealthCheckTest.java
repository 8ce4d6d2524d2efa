package io.laurel.runtime.health;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** What a component's cached state answers, from its last check and how long the running one has taken. */
class CachedHealthCheckTest {
    @Test
    void notCheckedYetIsDown() {
        CachedHealth.Check c = new CachedHealth.Check("database");
        assertThat(c.health(1_000).getStatus()).isEqualTo(Status.DOWN);
        assertThat(c.health(1_000).getDetails()).containsEntry("error", "not checked yet");
    }

    @Test
    void aPassedCheckIsUpUntilTheNextOneHangsTooLong() {
        CachedHealth.Check c = new CachedHealth.Check("database");
        c.startedAt = 1_000;
        c.up = true;
        c.checkedAt = 1_005;
        c.millis = 5;
        assertThat(c.health(2_000).getStatus()).isEqualTo(Status.UP);
        // the next check started at 2,000 and has not come back
        c.startedAt = 2_000;
        assertThat(c.health(2_000 + CachedHealth.STALE_MS).getStatus()).isEqualTo(Status.UP);
        Health stale = c.health(2_001 + CachedHealth.STALE_MS);
        assertThat(stale.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) stale.getDetails().get("error")).startsWith("no answer for");
    }

    @Test
    void aFailedCheckIsDownWithItsError() {
        CachedHealth.Check c = new CachedHealth.Check("kafka");
        c.startedAt = 1_000;
        c.up = false;
        c.error = "TimeoutException: timed out";
        c.checkedAt = 3_000;
        Health h = c.health(3_100);
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("error", "TimeoutException: timed out").containsKey("checked_at");
    }
}
