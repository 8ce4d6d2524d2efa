package io.laurel.runtime.metrics;

import io.laurel.runtime.projection.Projection;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.projection.ProjectionStatus;
import io.laurel.runtime.projection.RebuildView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The projections of this instance as Prometheus metrics (API.md, "Operability"), read from the status the instance
 * last reported (every 2 s: no broker or database round trip per scrape). Per projection:
 * <ul>
 *   <li>{@code laurel_projection_lag}: records waiting on the partitions this instance holds (on one that holds none,
 *   what waits beyond the offsets stored with the read model); sum over instances for the platform;</li>
 *   <li>{@code laurel_projection_records_total}, {@code laurel_projection_dead_lettered_total}: records folded and
 *   dead-lettered by this instance's runner of the live generation (from 0 when a new generation goes live);</li>
 *   <li>{@code laurel_projection_up}: 1 while running or catching up, 0 when assigning, in outage, failed or stopped;</li>
 *   <li>{@code laurel_rebuild_progress} (0 to 1), {@code laurel_rebuild_records_per_second},
 *   {@code laurel_rebuild_eta_seconds}: the rebuild under way, NaN when there is none.</li>
 * </ul>
 */
public final class ProjectionMetrics implements MeterBinder {
    private final ProjectionManager manager;

    public ProjectionMetrics(ProjectionManager manager) {
        this.manager = manager;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Projection p : manager.projections()) {
            String name = p.name();
            gauge(registry, "laurel.projection.lag", "Records waiting to be folded", name, s -> s.lag());
            gauge(registry, "laurel.projection.up", "1 while the projection runs or catches up, else 0", name,
                    s -> s.status().equals("running") || s.status().equals("catching_up") ? 1 : 0);
            FunctionCounter.builder("laurel.projection.records", this, m -> m.value(name, s -> s.recordsProcessed()))
                    .description("Records folded by this instance's runner of the live generation")
                    .tag("projection", name).register(registry);
            FunctionCounter.builder("laurel.projection.dead.lettered", this, m -> m.value(name, s -> s.deadLettered()))
                    .description("Records sent to the dead-letter topic").tag("projection", name).register(registry);
            gauge(registry, "laurel.rebuild.progress", "Progress of the rebuild under way (0 to 1)", name,
                    s -> rebuilding(s, v -> v.progress() == null ? Double.NaN : v.progress()));
            gauge(registry, "laurel.rebuild.records.per.second", "Records per second of the rebuild under way", name,
                    s -> rebuilding(s, v -> v.recordsPerSecond() == null ? Double.NaN : v.recordsPerSecond()));
            gauge(registry, "laurel.rebuild.eta.seconds", "Seconds the rebuild under way still needs", name,
                    s -> rebuilding(s, v -> v.etaSeconds() == null ? Double.NaN : v.etaSeconds()));
        }
    }

    private void gauge(MeterRegistry registry, String metric, String description, String projection,
                       ToDoubleFunction<ProjectionStatus> value) {
        Gauge.builder(metric, this, m -> m.value(projection, value)).description(description)
                .tag("projection", projection).register(registry);
    }

    /** The projection's figure from the last status, NaN before the first report. */
    double value(String projection, ToDoubleFunction<ProjectionStatus> value) {
        List<ProjectionStatus> statuses = manager.lastStatus();
        for (ProjectionStatus s : statuses) {
            if (s.name().equals(projection)) {
                return value.applyAsDouble(s);
            }
        }
        return Double.NaN;
    }

    static double rebuilding(ProjectionStatus s, ToDoubleFunction<RebuildView> value) {
        RebuildView r = s.rebuild();
        if (r == null || r.finishedAt() != null) {
            return Double.NaN;
        }
        return value.applyAsDouble(r);
    }
}
