package io.laurel.runtime.projection;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;

/**
 * Sorts failures. An outage (database or broker unreachable, a deadlock) is retried for as long as it
 * lasts and never dead-letters anything; a poison record goes to the dead-letter topic at once; any
 * other error is retried a bounded number of times, record by record, then dead-lettered.
 */
final class Failures {
    private Failures() {
    }

    static boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof RetriableException || t instanceof TimeoutException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 08: connection, 53: resources, 57P: shutdown, 40: serialization failure / deadlock
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                        || state.startsWith("40")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static boolean isPoison(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PoisonRecordException || t instanceof SerializationException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
