package io.laurel.runtime.projection;

/**
 * Thrown by a projection for a record it can never process (it does not parse, or breaks an invariant
 * of the data): the runtime sends it to the dead-letter topic at once, without retrying.
 */
public class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
