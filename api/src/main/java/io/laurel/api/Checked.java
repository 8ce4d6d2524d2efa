package io.laurel.api;

import java.util.List;

/**
 * A request whose fields depend on each other ("hold_seconds applies only with hold"). The services run
 * {@link #check()} after binding each field on its own (a field of the wrong type is {@code null} here) and
 * answer what it returns with the other errors, one JSON Pointer per bad field.
 */
public interface Checked {
    /** What is wrong across fields; empty when nothing is. */
    List<FieldError> check();
}
