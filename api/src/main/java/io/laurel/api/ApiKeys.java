package io.laurel.api;

/** {@code GET /v1/admin/tenants/{tenant}/api-keys}: without their secrets. */
public record ApiKeys(java.util.List<ApiKey> apiKeys) {
}
