package io.laurel.scoring.recalc;

import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With several scoring instances, a dry run or an apply is run by one instance (its owner, beating once a second):
 * another instance starting up, or looking every few seconds, takes it over only once the owner has gone silent,
 * and an apply belongs to the instance that was asked to apply.
 */
class RecalculationOwnerIT {
    private final TestEnvironment env = LaurelTestInfra.forClass(RecalculationOwnerIT.class);

    @Test
    void aRecalculationIsTakenOverOnlyWhenItsOwnerWentSilent() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(env.jdbcUrl());
        ds.setUser(env.username());
        ds.setPassword(env.password());
        RecalculationStore store = new RecalculationStore(ds);
        store.initialize();
        UUID id = UUID.randomUUID();
        assertThat(store.insert(id, "acme", new Recalculator.Window(null, null, null, null), Instant.now(), "r1", "a"))
                .isTrue();

        // a, beating, keeps it: b looking, or b restarting, takes nothing
        store.beat("a");
        assertThat(store.takeOver("b", false)).isEmpty();
        assertThat(store.takeOver("b", true)).isEmpty();
        // a restarting takes up its own
        assertThat(store.takeOver("a", true)).extracting(RecalculationStore.Row::id).containsExactly(id);

        // a goes silent: b takes it over, once
        silence(ds, id);
        assertThat(store.takeOver("b", false)).extracting(RecalculationStore.Row::id).containsExactly(id);
        assertThat(store.takeOver("c", false)).isEmpty();
        assertThat(owner(ds, id)).isEqualTo("b");

        // ready, then applied through c: the apply is c's
        assertThat(store.transition(id, "running", "ready", null)).isTrue();
        assertThat(store.takeOver("d", false)).isEmpty(); // a ready one is nobody's work
        assertThat(store.startApplying(id, "c")).isTrue();
        assertThat(store.startApplying(id, "d")).isFalse();
        assertThat(owner(ds, id)).isEqualTo("c");
        silence(ds, id);
        assertThat(store.takeOver("d", false)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("applying"));
    }

    private static void silence(PGSimpleDataSource ds, UUID id) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE laurel_recalc.recalculations SET heartbeat = now() - interval '1 minute' WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    private static String owner(PGSimpleDataSource ds, UUID id) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT owner FROM laurel_recalc.recalculations WHERE id = ?")) {
            ps.setObject(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
