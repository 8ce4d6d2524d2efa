package io.laurel.runtime.web;

import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;

/**
 * An error answered as RFC 9457 {@code application/problem+json}, with a machine-readable code and,
 * for validation errors, one entry per bad field with its JSON Pointer.
 */
public class ProblemException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    public record FieldError(String pointer, String message) {
    }

    public ProblemException(HttpStatus status, String code, String title, String detail) {
        this(status, code, title, detail, List.of());
    }

    public ProblemException(HttpStatus status, String code, String title, String detail, List<FieldError> errors) {
        this(status, code, title, detail, errors, Map.of());
    }

    /** With response headers, such as {@code Retry-After} on a 503. */
    public ProblemException(HttpStatus status, String code, String title, String detail, List<FieldError> errors,
                            Map<String, String> headers) {
        // an answer, not a failure of the server: no stack trace to fill (a flood of 429s costs little)
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, code, "Not found", detail);
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, code, "Bad request", detail);
    }

    public static ProblemException invalid(String detail, List<FieldError> errors) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "VALIDATION_FAILED", "Invalid request", detail,
                errors);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
