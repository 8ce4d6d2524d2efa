package io.laurel.api;

/** A created API key: {@code key} is shown only in this answer. */
public record ApiKey(String id, String name, String key, java.util.List<String> scopes) {
}
