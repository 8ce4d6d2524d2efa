package io.laurel.runtime.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import java.util.Set;

/** The authenticated caller of a request: its tenant and what its key may do. */
public record Caller(String tenant, String keyId, Set<String> scopes, boolean manageTenants) {
    static final String ATTRIBUTE = Caller.class.getName();

    /** The caller of an authenticated request; fails with 401 on a public path. */
    public static Caller of(ServerWebExchange exchange) {
        Caller c = exchange.getAttribute(ATTRIBUTE);
        if (c == null) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Authentication required",
                    "Send an API key as 'Authorization: Bearer <key>'.");
        }
        return c;
    }

    /** The caller's tenant, provided its key has {@code scope}; otherwise 403 INSUFFICIENT_SCOPE. */
    public String require(Scope scope) {
        if (!scopes.contains(scope.value())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE", "Insufficient scope",
                    "This API key lacks the scope '" + scope.value() + "'.");
        }
        return tenant;
    }

    /**
     * Platform operations (projections, rebuilds, the inbound gateway's counters) act on every tenant's data:
     * only the platform key, the one that manages tenants, may call them; any other key gets 403
     * INSUFFICIENT_SCOPE, whatever its scopes.
     */
    public void requirePlatform() {
        if (!manageTenants) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE", "Insufficient scope",
                    "Platform operations act on every tenant's data and need the platform key (the bootstrap key "
                            + "that manages tenants); a tenant's 'ops' scope covers its own recalculations only.");
        }
    }

    /** Scope check for a tenant named in the path: only that tenant's keys, or a tenant manager's. */
    public void requireTenant(String pathTenant, Scope scope) {
        require(scope);
        if (!tenant.equals(pathTenant) && !manageTenants) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "FOREIGN_TENANT", "Another tenant",
                    "This API key belongs to another tenant.");
        }
    }
}
