package io.laurel.api;

/** The answer to a batch, one result per event, in order. */
public record BatchResults(java.util.List<BatchResult> results) {
}
