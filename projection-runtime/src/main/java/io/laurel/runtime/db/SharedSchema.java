package io.laurel.runtime.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Creates tables that every instance of a service shares, safely while other instances start or run.
 * <ul>
 * <li>{@code CREATE ... IF NOT EXISTS} is not safe against itself: two instances starting side by side can both find
 * a table missing, and the second then fails on the catalog's unique key ({@code pg_type_typname_nsp_index}). So the
 * statements run in one transaction under an advisory lock: the first instance creates, the others wait for its
 * commit and find everything there.</li>
 * <li>PostgreSQL takes a table's lock before it checks {@code IF NOT EXISTS}: {@code ALTER TABLE ... ADD COLUMN IF
 * NOT EXISTS} waits for every open transaction on the table, and queues every later one behind it; two tables locked
 * in one order at start and in the other by a running instance's batch deadlock. So, once the advisory lock is held,
 * every table lock is waited for at most {@link #LOCK_TIMEOUT}; a timeout or a deadlock rolls the whole creation back
 * and it is tried again, until {@link #DEADLINE}.</li>
 * </ul>
 */
public final class SharedSchema {
    private static final Logger log = LoggerFactory.getLogger(SharedSchema.class);
    /** The first key of the two-key advisory locks taken by {@link #create} (the second is the hashed schema name). */
    static final int LOCK_CLASS = 7301300;
    /** How long one try waits for a table's lock. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long tries go on before the start fails: long, as a start used to wait for a table's lock without limit,
     * and a long transaction on a table (a dump, a large export) is no reason to fail.
     */
    static final Duration DEADLINE = Duration.ofMinutes(15);

    /** DDL to run under the lock. */
    @FunctionalInterface
    public interface Ddl {
        void create(Statement st) throws SQLException;
    }

    /** Work in the creation's transaction (after its advisory lock), returning a value. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private SharedSchema() {
    }

    /** Runs {@code ddl} (after {@code CREATE SCHEMA IF NOT EXISTS schema}) under the schema's creation lock. */
    public static void create(DataSource dataSource, String schema, Ddl ddl) throws SQLException {
        create(dataSource, schema, ddl, LOCK_TIMEOUT, DEADLINE);
    }

    static void create(DataSource dataSource, String schema, Ddl ddl, Duration lockTimeout, Duration deadline)
            throws SQLException {
        inTransaction(dataSource, "SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", hashtext('" + schema.replace("'", "''")
                + "'))", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                ddl.create(st);
            }
            return null;
        }, lockTimeout, deadline);
    }

    /**
     * Runs {@code work} in one transaction that first takes an advisory lock ({@code lockQuery}, waited for without
     * limit: another instance may be building an index on a large table under it), then waits at most
     * {@link #LOCK_TIMEOUT} for any table lock; tried again after a lock timeout or a deadlock, until
     * {@link #DEADLINE}.
     */
    public static <T> T inTransaction(DataSource dataSource, String lockQuery, Work<T> work) throws SQLException {
        return inTransaction(dataSource, lockQuery, work, LOCK_TIMEOUT, DEADLINE);
    }

    static <T> T inTransaction(DataSource dataSource, String lockQuery, Work<T> work, Duration lockTimeout,
                               Duration deadline) throws SQLException {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    try (PreparedStatement lock = c.prepareStatement(lockQuery)) {
                        lock.execute();
                    }
                    try (Statement st = c.createStatement()) {
                        st.execute("SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
                    }
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (Throwable e) {
                    try {
                        c.rollback();
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback);
                        throw e;
                    }
                    if (!(e instanceof SQLException sql && retryable(sql)) || System.nanoTime() > giveUpAt) {
                        throw e;
                    }
                    if (attempt % 10 == 0) {
                        log.warn("schema creation still waiting for a table in use after {} tries (last: {}); a"
                                + " long transaction on it holds the start back", attempt, e.getMessage());
                    } else {
                        log.info("schema creation waited too long for a table lock or deadlocked (try {}: {});"
                                + " trying again", attempt, e.getMessage());
                    }
                } finally {
                    try {
                        c.setAutoCommit(autoCommit);
                    } catch (SQLException broken) {
                        // the connection is gone with whatever failed above; it is closed next
                    }
                }
            }
            pause(attempt);
        }
    }

    /** A lock timeout ({@code 55P03}) or a deadlock ({@code 40P01}): nothing was created, and a new try may pass. */
    static boolean retryable(SQLException e) {
        return "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    private static void pause(int attempt) throws SQLException {
        long millis = Math.min(2_000, 100L << Math.min(attempt, 5));
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while creating the schema", e);
        }
    }
}
