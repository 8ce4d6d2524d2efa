package io.laurel.events.expression;

/** An expression that cannot be parsed: the message says what was expected, {@link #position()} where. */
public class ExpressionException extends RuntimeException {
    private final int position;

    public ExpressionException(String message, int position) {
        super(message + " (at character " + (position + 1) + ")");
        this.position = position;
    }

    /** Zero-based index into the expression text. */
    public int position() {
        return position;
    }
}
