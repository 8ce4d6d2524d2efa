package io.laurel.runtime.web;

import io.laurel.events.catalog.ApiKeyDefinition;
import io.laurel.runtime.catalog.CatalogView;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates every {@code /v1} request by its tenant's API key ({@code Authorization: Bearer}).
 * Public profiles, Open Badges documents and {@code GET /v1/version} need no key; webhook-style ingest may pass it as the
 * {@code key} query parameter. A key just created elsewhere is found by catching up with the catalog.
 */
@Order(-100)
public class ApiKeyAuthFilter implements WebFilter {
    private static final List<String> PUBLIC_PREFIXES = List.of("/v1/profiles/", "/v1/openbadges/", "/v1/certificates/");
    private static final String HOOKS_PREFIX = "/v1/hooks/";
    private static final String VERSION = "/v1/version";

    private final CatalogView catalog;
    private final List<RequestGate> gates;

    public ApiKeyAuthFilter(CatalogView catalog) {
        this(catalog, List.of());
    }

    public ApiKeyAuthFilter(CatalogView catalog, List<RequestGate> gates) {
        this.catalog = catalog;
        this.gates = List.copyOf(gates);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith("/v1/") || path.equals(VERSION) || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith)) {
            return chain.filter(exchange);
        }
        String secret = secret(exchange, path.startsWith(HOOKS_PREFIX));
        if (secret == null) {
            return reject(exchange, "Send an API key as 'Authorization: Bearer <key>'.");
        }
        String hash = ApiKeys.hash(secret);
        Optional<ApiKeyDefinition> known = catalog.apiKeyByHash(hash);
        Mono<Optional<ApiKeyDefinition>> key = known.isPresent() ? Mono.just(known)
                : Mono.fromCallable(() -> {
                    catalog.catchUp(Duration.ofSeconds(2));
                    return catalog.apiKeyByHash(hash);
                }).subscribeOn(Schedulers.boundedElastic());
        return key.flatMap(k -> {
            if (k.isEmpty()) {
                return reject(exchange, "The API key is unknown or revoked.");
            }
            ApiKeyDefinition def = k.get();
            Caller caller = new Caller(def.tenant(), def.id(), def.scopes(), def.manageTenants());
            exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
            for (RequestGate gate : gates) {
                ProblemException refused = gate.check(caller, exchange.getRequest());
                if (refused != null) {
                    return Problems.write(exchange.getResponse(), refused, exchange.getRequest().getPath().value());
                }
            }
            return chain.filter(exchange);
        });
    }

    private static String secret(ServerWebExchange exchange, boolean queryAllowed) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String v = header.substring(7).trim();
            return v.isEmpty() ? null : v;
        }
        if (queryAllowed) {
            String q = exchange.getRequest().getQueryParams().getFirst("key");
            if (q == null) {
                q = exchange.getRequest().getHeaders().getFirst("X-Laurel-Key");
            }
            return q == null || q.isBlank() ? null : q;
        }
        return null;
    }

    private static Mono<Void> reject(ServerWebExchange exchange, String detail) {
        return Problems.write(exchange.getResponse(),
                new ProblemException(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Authentication required", detail),
                exchange.getRequest().getPath().value());
    }
}
