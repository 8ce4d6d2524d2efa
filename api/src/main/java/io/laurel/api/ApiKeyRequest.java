package io.laurel.api;

/** {@code POST /v1/admin/tenants/{tenant}/api-keys}. */
public record ApiKeyRequest(String name, java.util.List<String> scopes) {
}
