package io.laurel.ingest.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code laurel_ingest_events_total{tenant,outcome}} (API.md, "Operability"): every event offered to Laurel, over HTTP
 * (single, batch, webhook-style) or Kafka, counted once by what became of it:
 * <ul>
 *   <li>{@code accepted}: appended to {@code laurel.events};</li>
 *   <li>{@code duplicate}: its idempotence key was seen before; nothing appended;</li>
 *   <li>{@code rejected}: refused (validation, unknown type, too large, no key; on Kafka: forwarded to
 *   {@code laurel.events.rejected});</li>
 *   <li>{@code failed}: valid, but Kafka did not take it in time (the client was answered 503 and retries).</li>
 * </ul>
 * A record of the Kafka gateway whose key is unknown counts under tenant {@code unknown}.
 */
@org.springframework.stereotype.Component
public final class IngestMetrics {
    public static final String METRIC = "laurel.ingest.events";
    public static final String UNKNOWN_TENANT = "unknown";

    public enum Outcome {
        ACCEPTED, DUPLICATE, REJECTED, FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    /** tenant → one counter per outcome (by ordinal), made on first use: no allocation per counted event. */
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counting into Micrometer's global registry: for components built without Spring (tests). */
    public static IngestMetrics global() {
        return new IngestMetrics(Metrics.globalRegistry);
    }

    public void count(String tenant, Outcome outcome) {
        count(tenant, outcome, 1);
    }

    public void count(String tenant, Outcome outcome, long n) {
        if (n <= 0) {
            return;
        }
        String t = tenant == null || tenant.isBlank() ? UNKNOWN_TENANT : tenant;
        Counter[] ofTenant = counters.computeIfAbsent(t, k -> new Counter[Outcome.values().length]);
        Counter c = ofTenant[outcome.ordinal()];
        if (c == null) {
            // registering is idempotent: two threads racing here get the same counter
            c = Counter.builder(METRIC).description("Events offered to Laurel, by tenant and what became of them")
                    .tag("tenant", t).tag("outcome", outcome.tag()).register(registry);
            ofTenant[outcome.ordinal()] = c;
        }
        c.increment(n);
    }
}
