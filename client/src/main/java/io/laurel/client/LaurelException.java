package io.laurel.client;

/** Laurel could not be reached, or answered what the client cannot read. */
public class LaurelException extends RuntimeException {
    public LaurelException(String message, Throwable cause) {
        super(message, cause);
    }
}
