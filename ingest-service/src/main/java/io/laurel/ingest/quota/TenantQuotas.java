package io.laurel.ingest.quota;

import io.laurel.events.catalog.TenantDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.ProblemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-tenant event rate limits over HTTP (off unless the platform operator sets one on the tenant): a token bucket
 * per tenant and ingest instance, refilled at the tenant's {@code events_per_second} up to its {@code burst}. A
 * request over the limit answers 429 {@code RATE_LIMITED} with {@code Retry-After} before its body is read, so a
 * flooding tenant costs the others little.
 */
@Component
public class TenantQuotas implements io.laurel.runtime.web.RequestGate {
    private final CatalogView catalog;
    private final LongSupplier clock;
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    private record Entry(int version, TokenBucket bucket) {
    }

    @org.springframework.beans.factory.annotation.Autowired
    public TenantQuotas(CatalogView catalog) {
        this(catalog, System::nanoTime);
    }

    TenantQuotas(CatalogView catalog, LongSupplier clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * Single events ({@code POST /v1/events}, webhook-style ingest) are counted as soon as their key is known, before
     * they are routed or their body read; a batch is counted once its events are (in the controller).
     */
    @Override
    public io.laurel.runtime.web.ProblemException check(io.laurel.runtime.web.Caller caller,
                                                        org.springframework.http.server.reactive.ServerHttpRequest request) {
        // as the router matches it: decoded segments without matrix parameters (/v1/%65vents;x=1 is /v1/events)
        String path = routedPath(request.getPath().pathWithinApplication());
        boolean single = (path.equals("/v1/events") && request.getMethod() == org.springframework.http.HttpMethod.POST)
                || path.startsWith("/v1/hooks/");
        if (!single || caller.tenant() == null || !caller.scopes().contains(io.laurel.runtime.web.Scope.EVENTS_WRITE.value())) {
            return null;
        }
        try {
            admit(caller.tenant(), 1);
            return null;
        } catch (ProblemException e) {
            return e;
        }
    }

    static String routedPath(org.springframework.http.server.PathContainer path) {
        StringBuilder b = new StringBuilder();
        for (org.springframework.http.server.PathContainer.Element e : path.elements()) {
            if (e instanceof org.springframework.http.server.PathContainer.PathSegment segment) {
                b.append('/').append(segment.valueToMatch());
            }
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    /**
     * Admits {@code events} events of {@code tenant}, or throws 429 {@code RATE_LIMITED} with the seconds to wait.
     */
    public void admit(String tenant, int events) {
        TenantDefinition t = catalog.tenant(tenant).orElse(null);
        if (t == null || t.eventRateLimit() == null) {
            if (t != null) {
                buckets.remove(tenant);
            }
            return;
        }
        long now = clock.getAsLong();
        Entry e = buckets.compute(tenant, (k, old) -> old != null && old.version() == t.version() ? old
                : new Entry(t.version(), new TokenBucket(t.eventRateLimit(),
                t.eventBurst() == null ? t.eventRateLimit() : t.eventBurst(), now)));
        long waitNanos = e.bucket().take(events, now);
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED", "Rate limited",
                    "Tenant '" + tenant + "' may send " + t.eventRateLimit() + " events per second (burst "
                            + (long) e.bucket().burst() + "); retry after " + seconds + " s.",
                    List.of(), Map.of(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        }
    }
}
