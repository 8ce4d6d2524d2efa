package io.laurel.runtime.web;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.http.HttpStatus;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of a request are an outage (503 with Retry-After) rather than a bug (500). */
class ProblemsOutageTest {

    @Test
    void lostOrRefusedDatabaseConnectionsAreADatabaseOutage() {
        assertThat(Problems.outage(new R2dbcNonTransientResourceException("Connection closed", "08006"))).isEqualTo("database");
        assertThat(Problems.outage(new R2dbcTransientResourceException("too many clients", "53300"))).isEqualTo("database");
        assertThat(Problems.outage(new R2dbcNonTransientResourceException("terminating", "57P01"))).isEqualTo("database");
        assertThat(Problems.outage(new java.net.ConnectException("Connection refused"))).isEqualTo("database");
        // as Spring reports a pool that cannot hand out a connection (its validation failed: the server went away)
        assertThat(Problems.outage(new org.springframework.dao.DataAccessResourceFailureException(
                "Failed to obtain R2DBC Connection", new R2dbcNonTransientResourceException("Connection validation failed"))))
                .isEqualTo("database");
        assertThat(Problems.outage(new R2dbcTimeoutException("timed out"))).isEqualTo("database");
        assertThat(Problems.outage(new SQLTransientConnectionException("laurel-jdbc - Connection is not available")))
                .isEqualTo("database");
        assertThat(Problems.outage(new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))
                .isEqualTo("database");
        assertThat(Problems.outage(new SQLException("terminating connection due to administrator command", "57P01")))
                .isEqualTo("database");
    }

    @Test
    void theCauseChainIsSearched() {
        RuntimeException wrapped = new RuntimeException("query failed",
                new IllegalStateException("inner", new R2dbcNonTransientResourceException("closed", "08003")));
        assertThat(Problems.outage(wrapped)).isEqualTo("database");
        assertThat(Problems.outage(new RuntimeException(new org.apache.kafka.common.errors.TimeoutException("expired"))))
                .isEqualTo("kafka");
        assertThat(Problems.outage(new org.apache.kafka.common.errors.NetworkException("disconnected"))).isEqualTo("kafka");
    }

    @Test
    void otherFailuresAreNotOutages() {
        assertThat(Problems.outage(new RuntimeException("bug"))).isNull();
        assertThat(Problems.outage(new SQLException("duplicate key", "23505"))).isNull();
        assertThat(Problems.outage(new SQLException("no state"))).isNull();
        // r2dbc-postgresql reports SQLSTATEs it does not map as non-transient resource exceptions: not outages
        assertThat(Problems.outage(new R2dbcNonTransientResourceException("raise_exception", "P0001"))).isNull();
        assertThat(Problems.outage(new R2dbcNonTransientResourceException("program limit exceeded", "54000"))).isNull();
        assertThat(Problems.outage(new R2dbcNonTransientResourceException("lock not available", "55P03"))).isNull();
        assertThat(Problems.outage(new R2dbcNonTransientResourceException("no state"))).isNull();
        assertThat(Problems.outage(new IllegalArgumentException("bad", new NullPointerException()))).isNull();
        assertThat(Problems.from(new RuntimeException("bug")).status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }

    @Test
    void anOutageAnswers503WithRetryAfter() {
        ProblemException db = Problems.from(new R2dbcNonTransientResourceException("closed", "08006"));
        assertThat(db.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(db.code()).isEqualTo("DATABASE_UNAVAILABLE");
        assertThat(db.headers()).containsEntry("Retry-After", "5");
        ProblemException kafka = Problems.from(new org.apache.kafka.common.errors.TimeoutException("expired"));
        assertThat(kafka.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(kafka.code()).isEqualTo("EVENT_LOG_UNAVAILABLE");
        assertThat(kafka.headers()).containsEntry("Retry-After", "5");
    }
}
