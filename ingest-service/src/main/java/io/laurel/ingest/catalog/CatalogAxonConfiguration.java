package io.laurel.ingest.catalog;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The catalog's forwarder to Kafka: a tracking processor (its token in PostgreSQL) that retries rather
 * than skips an event it could not publish. Axon's store and tables: {@code AxonSupportAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class CatalogAxonConfiguration {
    public static final String FORWARDER = "catalog-forwarder";

    @Bean
    public ConfigurerModule catalogForwarderRetries() {
        return configurer -> configurer.eventProcessing(ep -> ep
                .registerTrackingEventProcessor(FORWARDER)
                .registerListenerInvocationErrorHandler(FORWARDER, c -> PropagatingErrorHandler.instance()));
    }
}
