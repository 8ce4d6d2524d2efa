package io.laurel.runtime.axon;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/** What a failed Axon command means, for the services that answer it. */
public final class CommandFailures {
    private CommandFailures() {
    }

    /** The failure under the command bus's {@link CommandExecutionException} wrappers. */
    public static Throwable cause(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CommandExecutionException && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Another instance appended to the same aggregate at the same moment: the next sequence number was taken
     * ({@link ConcurrencyException}) or, for the aggregate's first event, the other one created its stream (the
     * JDBC store answers {@link AggregateStreamCreationException}, which is not a {@code ConcurrencyException}).
     */
    public static boolean contended(Throwable cause) {
        return cause instanceof ConcurrencyException || cause instanceof AggregateStreamCreationException;
    }
}
