package io.laurel.runtime.axon;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Axon for the services that decide through aggregates, without Axon Server: the JDBC event store and
 * token store live in PostgreSQL (tables created here when missing), and duplicate keys are recognised
 * as PostgreSQL reports them (SQLState 23505), so a concurrent write to one aggregate is a conflict, not
 * an error. Active only where Axon is on the class path.
 */
@AutoConfiguration(beforeName = {"org.axonframework.springboot.autoconfig.JdbcAutoConfiguration",
        "org.axonframework.springboot.autoconfig.AxonAutoConfiguration"})
@ConditionalOnClass(JdbcEventStorageEngine.class)
public class AxonSupportAutoConfiguration {
    static {
        // Axon asks its update server at start unless told not to; these machines and users' need not.
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
        if (System.getProperty("disable-axoniq-console-message") == null) {
            System.setProperty("disable-axoniq-console-message", "true");
        }
    }

    @Bean
    public PersistenceExceptionResolver postgresDuplicateKeyResolver() {
        return error -> {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                    return true;
                }
                if (t.getCause() == t) {
                    break;
                }
            }
            return false;
        };
    }

    /** Marker: Axon's tables exist. */
    public static final class AxonSchema {
    }

    @Bean
    public AxonSchema axonSchema(DataSource dataSource, EventStorageEngine engine, TokenStore tokenStore)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(7301201)");
            }
            if (!exists(c, "domainevententry") && engine instanceof JdbcEventStorageEngine jdbc) {
                jdbc.createSchema(PostgresEventTableFactory.INSTANCE);
            }
            if (!exists(c, "tokenentry") && tokenStore instanceof JdbcTokenStore jdbc) {
                jdbc.createSchema(PostgresTokenTableFactory.INSTANCE);
            }
            c.commit();
        }
        return new AxonSchema();
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
