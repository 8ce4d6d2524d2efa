package io.laurel.runtime.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Creates tables that every instance of a service shares. {@code CREATE ... IF NOT EXISTS} is not safe against itself:
 * two instances starting side by side can both find a table missing, and the second then fails on the catalog's
 * unique key ({@code pg_type_typname_nsp_index}). So the statements run in one transaction under an advisory lock
 * named after the schema: the first instance creates, the others wait for its commit and find everything there.
 */
public final class SharedSchema {
    /** The first key of the two-key advisory locks taken here (the second is the hashed schema name). */
    static final int LOCK_CLASS = 7301300;

    /** DDL to run under the lock. */
    @FunctionalInterface
    public interface Ddl {
        void create(Statement st) throws SQLException;
    }

    private SharedSchema() {
    }

    /** Runs {@code ddl} (after {@code CREATE SCHEMA IF NOT EXISTS schema}) under the schema's creation lock. */
    public static void create(DataSource dataSource, String schema, Ddl ddl) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                    lock.setInt(1, LOCK_CLASS);
                    lock.setString(2, schema);
                    lock.execute();
                }
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                    ddl.create(st);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }
}
