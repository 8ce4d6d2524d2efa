package io.laurel.api;

import java.util.List;

/** {@code GET /v1/me}: the tenant and scopes of the key the request carries ({@code managesTenants}: the platform key). */
public record Me(String tenant, String keyId, List<String> scopes, boolean managesTenants) {
}
