package io.laurel.ingest.tenant;

import io.laurel.api.ApiKeyRequest;
import io.laurel.api.TenantRequest;
import io.laurel.runtime.web.RequestBinder;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.laurel.events.Ids;
import io.laurel.events.catalog.ApiKeyDefinition;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.runtime.web.Blocking;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.ApiKeys;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tenants and their API keys. Creating a tenant needs a key that may manage tenants (the bootstrap
 * key). A key may grant only scopes it has itself; the secret is shown once, only its hash is kept.
 */
@RestController
public class TenantController {
    private static final long MAX_BODY = 64 * 1024;

    private final CatalogView catalog;
    private final CatalogWriter writer;
    private final SystemEventTypes systemTypes;

    public TenantController(CatalogView catalog, CatalogWriter writer, SystemEventTypes systemTypes) {
        this.catalog = catalog;
        this.writer = writer;
        this.systemTypes = systemTypes;
    }

    @PostMapping("/v1/admin/tenants")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = TenantRequest.class)))
    public Mono<ResponseEntity<io.laurel.api.Tenant>> create(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        if (!caller.manageTenants()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE", "Insufficient scope",
                    "Only a key that manages tenants (the bootstrap key) may create tenants.");
        }
        return RequestBinder.body(exchange, MAX_BODY, TenantRequest.class, "tenant").flatMap(request -> {
            String id = request.id();
            if (id == null) {
                throw ProblemException.invalid("Invalid tenant.", List.of(new FieldError("/id", TenantRequest.ID)));
            }
            String name = request.name() != null ? request.name() : id;
            String timeZone = request.zoneId();
            return Blocking.call(() -> {
                io.laurel.api.Tenant view = writer.change(() -> {
                    if (catalog.tenant(id).isPresent()) {
                        throw new ProblemException(HttpStatus.CONFLICT, "TENANT_EXISTS", "Tenant exists",
                                "Tenant '" + id + "' exists already.");
                    }
                    Instant now = Instant.now();
                    TenantDefinition tenant = new TenantDefinition(id, name, timeZone, 1, now, now);
                    return CatalogWriter.Change.of(tenantView(tenant), tenant);
                });
                systemTypes.ensure(id);
                return view;
            }).map(v -> ResponseEntity.status(HttpStatus.CREATED).body(v));
        });
    }

    @GetMapping("/v1/admin/tenants/{tenant}")
    public io.laurel.api.Tenant get(@PathVariable String tenant, ServerWebExchange exchange) {
        Caller.of(exchange).requireTenant(tenant, Scope.CATALOG_READ);
        return tenantView(catalog.tenant(tenant).orElseThrow(() -> unknownTenant(tenant)));
    }

    /**
     * Changes a tenant's name or time zone (a new time zone applies to events scored from then on), and, for the key
     * that manages tenants only, its event rate limit: {@code "rate_limit": {"events_per_second": n, "burst": m}}
     * ({@code burst} defaults to {@code n}), or {@code null} for none.
     */
    @PutMapping("/v1/admin/tenants/{tenant}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = TenantRequest.class)))
    public Mono<io.laurel.api.Tenant> update(@PathVariable String tenant, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        caller.requireTenant(tenant, Scope.CATALOG_WRITE);
        return RequestBinder.bound(exchange, MAX_BODY, TenantRequest.class, "tenant").flatMap(bound -> {
            TenantRequest request = bound.value();
            String timeZone = request.zoneId();
            Integer[] limit = !bound.has("rate_limit") ? null : request.rateLimit() == null ? new Integer[]{null, null}
                    : new Integer[]{request.rateLimit().eventsPerSecond(), request.rateLimit().burst() == null
                    ? request.rateLimit().eventsPerSecond() : request.rateLimit().burst()};
            if (limit != null && !caller.manageTenants()) {
                throw new ProblemException(HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE", "Insufficient scope",
                        "Only the key that manages tenants may set a tenant's rate limit.");
            }
            return Blocking.call(() -> writer.change(() -> {
                TenantDefinition t = catalog.tenant(tenant).orElseThrow(() -> unknownTenant(tenant));
                String name = request.name() != null ? request.name() : t.name();
                TenantDefinition changed = new TenantDefinition(tenant, name, bound.has("time_zone") ? timeZone
                        : t.timeZone(), t.version() + 1, t.createdAt(), Instant.now(),
                        limit == null ? t.eventRateLimit() : limit[0], limit == null ? t.eventBurst() : limit[1]);
                return CatalogWriter.Change.of(tenantView(changed), changed);
            }));
        });
    }

    @PostMapping("/v1/admin/tenants/{tenant}/api-keys")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiKeyRequest.class)))
    public Mono<ResponseEntity<io.laurel.api.ApiKey>> createKey(@PathVariable String tenant, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        caller.requireTenant(tenant, Scope.CATALOG_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, ApiKeyRequest.class, "API key").flatMap(request -> {
            Set<String> scopes = scopes(request.scopes(), caller);
            String name = request.name() == null ? "" : request.name();
            return Blocking.call(() -> writer.change(() -> {
                if (catalog.tenant(tenant).isEmpty()) {
                    throw unknownTenant(tenant);
                }
                String secret = ApiKeys.newSecret();
                Instant now = Instant.now();
                ApiKeyDefinition key = new ApiKeyDefinition(tenant, Ids.timeOrdered().toString(), name,
                        ApiKeys.hash(secret), scopes, false, 1, now, now);
                io.laurel.api.ApiKey answer = keyView(key, secret);
                return CatalogWriter.Change.of(answer, key);
            })).map(v -> ResponseEntity.status(HttpStatus.CREATED).body(v));
        });
    }

    @GetMapping("/v1/admin/tenants/{tenant}/api-keys")
    public io.laurel.api.ApiKeys keys(@PathVariable String tenant, ServerWebExchange exchange) {
        Caller.of(exchange).requireTenant(tenant, Scope.CATALOG_READ);
        return new io.laurel.api.ApiKeys(catalog.apiKeys(tenant).stream().map(k -> keyView(k, null)).toList());
    }

    @DeleteMapping("/v1/admin/tenants/{tenant}/api-keys/{id}")
    public Mono<ResponseEntity<Void>> revoke(@PathVariable String tenant, @PathVariable String id,
                                             ServerWebExchange exchange) {
        Caller.of(exchange).requireTenant(tenant, Scope.CATALOG_WRITE);
        return Blocking.call(() -> writer.change(() -> {
            ApiKeyDefinition key = catalog.apiKeys(tenant).stream().filter(k -> k.id().equals(id)).findFirst()
                    .orElseThrow(() -> ProblemException.notFound("API_KEY_NOT_FOUND", "No API key " + id));
            return CatalogWriter.Change.delete(ResponseEntity.noContent().<Void>build(), key.key());
        }));
    }

    private static Set<String> scopes(List<String> list, Caller caller) {
        Set<String> scopes = new LinkedHashSet<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String s = list.get(i);
            if (Scope.parse(s).isEmpty()) {
                errors.add(new FieldError("/scopes/" + i, "unknown scope '" + s + "'"));
            } else if (!caller.scopes().contains(s)) {
                errors.add(new FieldError("/scopes/" + i, "your key cannot grant '" + s + "', it does not have it"));
            } else {
                scopes.add(s);
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "INVALID_SCOPE", "Invalid scope",
                    "Some scopes cannot be granted.", errors);
        }
        return scopes;
    }

    private static ProblemException unknownTenant(String tenant) {
        return ProblemException.notFound("TENANT_NOT_FOUND", "No tenant '" + tenant + "'.");
    }

    private static io.laurel.api.Tenant tenantView(TenantDefinition t) {
        return new io.laurel.api.Tenant(t.tenant(), t.name(), t.timeZone() == null ? "UTC" : t.zone().getId(),
                t.eventRateLimit() == null ? null : new io.laurel.api.RateLimit(t.eventRateLimit(), t.eventBurst()),
                t.createdAt());
    }

    /** A key as answered: {@code secret} only when it was just created. */
    private static io.laurel.api.ApiKey keyView(ApiKeyDefinition k, String secret) {
        return new io.laurel.api.ApiKey(k.id(), k.tenant(), k.name(), List.copyOf(k.scopes()), k.createdAt(), secret);
    }
}
