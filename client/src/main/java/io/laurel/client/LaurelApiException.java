package io.laurel.client;

import io.laurel.api.Problem;

/**
 * Laurel answered with an error: {@link #problem()} is its problem detail (RFC 9457), with the machine-readable
 * {@code code} and, for validation errors, one field error per bad field.
 */
public class LaurelApiException extends LaurelException {
    private final Problem problem;

    public LaurelApiException(Problem problem) {
        super(message(problem), null);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    /** The machine-readable code ({@code SCHEMA_VIOLATION}, {@code INSUFFICIENT_POINTS}, ...), or null. */
    public String code() {
        return problem.code();
    }

    private static String message(Problem p) {
        StringBuilder b = new StringBuilder().append(p.status());
        if (p.code() != null) {
            b.append(' ').append(p.code());
        }
        b.append(": ").append(p.detail() != null ? p.detail() : p.title());
        if (p.errors() != null) {
            p.errors().forEach(e -> b.append(" [").append(e.pointer()).append(' ').append(e.message()).append(']'));
        }
        return b.toString();
    }
}
