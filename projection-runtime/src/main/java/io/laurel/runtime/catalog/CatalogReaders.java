package io.laurel.runtime.catalog;

import io.laurel.runtime.db.SharedSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How far every running instance's catalog view has read, in PostgreSQL ({@code laurel_runtime.catalog_readers}):
 * each process reports its view's position when it moves and once a second, so a catalog write can wait until
 * every instance sees it before it is answered (ARCHITECTURE.md, "Many instances, one truth"). A reader that has
 * not reported for {@link #ALIVE} is counted as gone (stopped or crashed) and not waited for.
 */
public final class CatalogReaders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CatalogReaders.class);
    /** How recent a reader's report must be for a write to wait for it. */
    public static final Duration ALIVE = Duration.ofSeconds(5);
    static final Duration BEAT = Duration.ofSeconds(1);
    static final String TABLE = "laurel_runtime.catalog_readers";

    private final DataSource dataSource;
    private final CatalogView view;
    private final String reader = UUID.randomUUID().toString();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "catalog-readers");
        t.setDaemon(true);
        return t;
    });
    private volatile long reported = -1;
    private volatile long reportedAt;

    public CatalogReaders(DataSource dataSource, CatalogView view) {
        this.dataSource = dataSource;
        this.view = view;
    }

    public void start() {
        try {
            // under the runtime schema's creation lock, as ProjectionStore.initialize
            SharedSchema.create(dataSource, "laurel_runtime", st -> {
                st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (reader text PRIMARY KEY,"
                        + " position bigint NOT NULL, seen_at timestamptz NOT NULL)");
                st.execute("DELETE FROM " + TABLE + " WHERE seen_at < now() - interval '1 day'");
            });
        } catch (SQLException e) {
            log.warn("catalog readers table not ready yet ({}); reports start once the database answers", e.toString());
        }
        timer.scheduleWithFixedDelay(this::reportIfDue, 0, 50, TimeUnit.MILLISECONDS);
    }

    private void reportIfDue() {
        long position = view.isReady() ? view.position() : -1;
        if (position < 0 || (position == reported && System.nanoTime() - reportedAt < BEAT.toNanos())) {
            return;
        }
        try {
            report(position);
        } catch (SQLException e) {
            log.debug("catalog position not reported: {}", e.toString());
        }
    }

    private void report(long position) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (reader, position, seen_at) VALUES (?, ?, now()) ON CONFLICT (reader) DO UPDATE SET"
                + " position = EXCLUDED.position, seen_at = now()")) {
            ps.setString(1, reader);
            ps.setLong(2, position);
            ps.executeUpdate();
        }
        reported = position;
        reportedAt = System.nanoTime();
    }

    /**
     * Waits until every live instance's catalog view has read at least to {@code position} (this one's included).
     *
     * @return false when that did not happen within {@code timeout}, or the database could not be asked
     */
    public boolean awaitEveryone(long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (view.position() >= position) {
                report(view.position());
            }
            while (true) {
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM " + TABLE + " WHERE position < ? AND seen_at > now() - make_interval(secs => ?)")) {
                    ps.setLong(1, position);
                    ps.setDouble(2, ALIVE.toMillis() / 1000.0);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == 0) {
                            return true;
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            log.debug("catalog readers not asked: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM " + TABLE + " WHERE reader = ?")) {
            ps.setString(1, reader); // stopped: no write waits for this instance any more
            ps.executeUpdate();
        } catch (SQLException e) {
            log.debug("catalog reader not removed: {}", e.toString());
        }
    }
}
