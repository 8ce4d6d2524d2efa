package io.laurel.api;

/** {@code GET /v1/version}. */
public record Version(String version, String apiVersion, String commit) {
}
