package io.laurel.api;

/** One bad field of a request: its JSON Pointer and what is wrong. */
public record FieldError(String pointer, String message) {
}
