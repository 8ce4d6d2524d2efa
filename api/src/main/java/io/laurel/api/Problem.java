package io.laurel.api;

/** An error answer (RFC 9457 {@code application/problem+json}): {@code code} is machine-readable; validation errors list one {@link FieldError} per bad field. */
public record Problem(String type, String title, int status, String detail, String code, java.util.List<FieldError> errors, String instance) {
}
