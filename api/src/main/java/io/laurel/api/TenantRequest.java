package io.laurel.api;

/**
 * {@code POST /v1/admin/tenants} (platform key) and {@code PUT /v1/admin/tenants/{tenant}} (name, time zone; the rate
 * limit with the platform key only, {@code null} for none).
 */
public record TenantRequest(String id, String name, String timeZone, RateLimit rateLimit) {
    public static TenantRequest of(String id, String name) {
        return new TenantRequest(id, name, null, null);
    }
}
