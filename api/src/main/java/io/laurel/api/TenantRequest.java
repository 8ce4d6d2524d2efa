package io.laurel.api;

/** {@code POST /v1/admin/tenants} (platform key). */
public record TenantRequest(String id, String name) {
}
