package io.laurel.scoring.recalc;

import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.projection.ProjectionManager;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

import javax.sql.DataSource;

/** The recalculations of the scoring service: their store and the service that runs them. */
@Configuration
public class RecalculationConfiguration {
    @Bean(initMethod = "start", destroyMethod = "close")
    public RecalculationService recalculationService(DataSource dataSource, ProjectionManager projections,
                                                     CatalogView catalog, TopicRegistry topics,
                                                     Producer<String, byte[]> laurelProducer, LaurelProperties props,
                                                     @Value("${laurel.recalculation.apply-chunk:2000}") int applyChunk,
                                                     @Value("${laurel.recalculation.apply-rate:0}") double applyRate) {
        return new RecalculationService(new RecalculationStore(dataSource), projections, catalog, topics, laurelProducer,
                props, applyChunk, applyRate);
    }

    /**
     * {@code laurel_recalculations_running} and {@code laurel_recalculation_progress} (0 to 1 over the dry runs and applies under
     * way on this instance; NaN when none).
     */
    @Bean
    public io.micrometer.core.instrument.binder.MeterBinder recalculationMetrics(RecalculationService recalculations) {
        return registry -> {
            io.micrometer.core.instrument.Gauge.builder("laurel.recalculations.running", recalculations,
                    RecalculationService::running).description("Recalculations this instance runs").register(registry);
            io.micrometer.core.instrument.Gauge.builder("laurel.recalculation.progress", recalculations,
                    RecalculationService::progress).description("Progress of the recalculations under way, dry runs and applies (0 to 1)")
                    .register(registry);
        };
    }

    /** A stopping service stops its recalculations first (before the web server drains): they resume at the next start. */
    @EventListener(ContextClosedEvent.class)
    public void stopping(ContextClosedEvent event) {
        event.getApplicationContext().getBeanProvider(RecalculationService.class).ifAvailable(RecalculationService::close);
    }
}
