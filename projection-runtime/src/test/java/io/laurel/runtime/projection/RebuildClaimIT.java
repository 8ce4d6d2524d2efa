package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A rebuild is one job for the group of instances, claimed in PostgreSQL: a second claim of the same projection
 * is refused while the first one's owner beats, a request made through any instance reaches the owner with its
 * next heartbeat, and an instance starting up discards only its own rebuilds and those of owners gone silent.
 */
class RebuildClaimIT {
    private final TestEnvironment env = LaurelTestInfra.forClass(RebuildClaimIT.class);

    @Test
    void oneRebuildPerProjectionForTheWholeGroup() throws Exception {
        try (HikariDataSource ds = ProjectionFixture.dataSource(env)) {
            ProjectionStore store = new ProjectionStore(ds);
            store.initialize();
            UUID first = UUID.randomUUID();
            int generation = store.claimRebuild(first, "claims", "instance-a", Instant.now());
            assertThat(generation).isEqualTo(1);
            assertThatThrownBy(() -> store.claimRebuild(UUID.randomUUID(), "claims", "instance-b", Instant.now()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(first.toString())
                    .hasMessageContaining("instance-a");
            // another projection is another job
            assertThat(store.claimRebuild(UUID.randomUUID(), "others", "instance-b", Instant.now())).isEqualTo(1);

            // asked through instance b, answered to the owner's next heartbeat, with its progress stored for all
            assertThat(store.request(first, false)).isTrue();
            var requests = store.beat(first, "instance-a", "ready", 1200, 1200L, 1.0, 400.0, 0L);
            assertThat(requests).hasValueSatisfying(r -> {
                assertThat(r.switchRequested()).isTrue();
                assertThat(r.cancelRequested()).isFalse();
            });
            assertThat(store.findRebuild(first)).hasValueSatisfying(v -> {
                assertThat(v.status()).isEqualTo("ready");
                assertThat(v.recordsTotal()).isEqualTo(1200L);
                assertThat(v.recordsPerSecond()).isEqualTo(400.0);
            });
            // a heartbeat of another instance for a row it does not own changes nothing
            assertThat(store.beat(first, "instance-b", "running", 0, null, null, null, null)).isEmpty();
            assertThat(store.request(UUID.randomUUID(), true)).isFalse();

            // instance b restarting leaves a's rebuild alone; a restarting finds its own
            assertThat(store.unfinishedRebuilds("instance-b")).extracting(ProjectionStore.RebuildRow::id)
                    .doesNotContain(first);
            assertThat(store.unfinishedRebuilds("instance-a")).extracting(ProjectionStore.RebuildRow::id).contains(first);

            // a's heartbeat stops: after the owner timeout the rebuild counts as abandoned; it still blocks a second
            // rebuild (it is taken over, never run beside another one)
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE laurel_runtime.rebuilds SET heartbeat = now() - interval '1 minute' WHERE id = ?")) {
                ps.setObject(1, first);
                ps.executeUpdate();
            }
            assertThat(store.unfinishedRebuilds("instance-b")).extracting(ProjectionStore.RebuildRow::id).contains(first);
            assertThatThrownBy(() -> store.claimRebuild(UUID.randomUUID(), "claims", "instance-b", Instant.now()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("takes the rebuild over");

            // one instance takes it over, as it stood; a second take-over, and the old owner's heartbeat, find nothing
            assertThat(store.takeOver(first, "instance-b")).hasValueSatisfying(row -> {
                assertThat(row.status()).isEqualTo("ready");
                assertThat(row.generation()).isEqualTo(1);
                assertThat(row.records()).isEqualTo(1200);
                assertThat(row.autoSwitch()).isTrue();
            });
            assertThat(store.takeOver(first, "instance-c")).isEmpty();
            assertThat(store.beat(first, "instance-a", "ready", 1300, null, null, null, null)).isEmpty();
            // nor may the old owner switch it
            assertThatThrownBy(() -> store.switchLive("claims", 1, 0, first, "instance-a"))
                    .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("no longer this instance's");

            // released by a clean shutdown: taken over at once (no heartbeat to wait out)
            store.release(first, "instance-b");
            assertThat(store.abandonedRebuilds()).extracting(ProjectionStore.RebuildRow::id).contains(first);
            assertThat(store.takeOver(first, "instance-c")).isPresent();

            // once it ends, the next rebuild may start
            store.recordRebuild(first, "claims", 1, "completed", Instant.now(), Instant.now(), 1200, null);
            assertThat(store.claimRebuild(UUID.randomUUID(), "claims", "instance-b", Instant.now())).isEqualTo(2);
        }
    }
}
