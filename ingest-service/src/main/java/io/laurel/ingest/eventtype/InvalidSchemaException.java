package io.laurel.ingest.eventtype;

/** An event type's schema that cannot be used; answered as 400 INVALID_SCHEMA. */
public class InvalidSchemaException extends RuntimeException {
    private final String pointer;

    public InvalidSchemaException(String pointer, String message) {
        super(message);
        this.pointer = pointer;
    }

    public String pointer() {
        return pointer;
    }
}
