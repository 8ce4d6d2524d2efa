package io.laurel.ingest.catalog;

import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.Keys;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeChanged;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeclared;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeleted;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Forwards the catalog aggregates' events to the compacted {@code laurel.catalog} topic, as the
 * definitions every service folds. A tracking processor with its token in PostgreSQL: an event is
 * forwarded at least once, in order, and the compacted topic keeps the latest version per key.
 */
@Component
@ProcessingGroup(CatalogAxonConfiguration.FORWARDER)
public class CatalogForwarder {
    private final CatalogWriter writer;

    public CatalogForwarder(CatalogWriter writer) {
        this.writer = writer;
    }

    @EventHandler
    void on(EventTypeDeclared e) {
        writer.publish(new EventTypeDefinition(e.tenant(), e.id(), e.name(), e.description(), e.system(), e.schema(),
                e.version(), e.createdAt(), e.at()));
    }

    @EventHandler
    void on(EventTypeChanged e) {
        writer.publish(new EventTypeDefinition(e.tenant(), e.id(), e.name(), e.description(), e.system(), e.schema(),
                e.version(), e.createdAt(), e.at()));
    }

    @EventHandler
    void on(EventTypeDeleted e) {
        writer.publishDeletion(Keys.catalog(e.tenant(), EventTypeDefinition.KIND, e.name()));
    }
}
