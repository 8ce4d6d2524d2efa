package io.laurel.client;

import com.fasterxml.jackson.databind.JavaType;

import java.util.Map;

/**
 * One API call: method, path with query, body, what the answer is read as, and whether it may be repeated after a
 * 503 (a request that changes nothing, or carries an idempotence key: repeating it never counts twice).
 */
record Call<T>(String method, String path, Object body, JavaType answer, boolean repeatable, Map<String, String> headers) {
    Call<T> withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Call<>(method, path, body, answer, repeatable, h);
    }
}
