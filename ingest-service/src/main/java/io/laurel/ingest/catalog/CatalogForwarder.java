package io.laurel.ingest.catalog;

import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.Keys;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeChanged;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeclared;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeleted;
import io.laurel.ingest.definition.DefinitionMessages;
import io.laurel.ingest.rule.Rules;
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
    void on(DefinitionMessages.DefinitionDefined e) {
        publish(e.tenant(), e.kind(), e.id(), e.body(), true, e.version(), e.createdAt(), e.at());
    }

    @EventHandler
    void on(DefinitionMessages.DefinitionRevised e) {
        publish(e.tenant(), e.kind(), e.id(), e.body(), true, e.version(), e.createdAt(), e.at());
    }

    @EventHandler
    void on(DefinitionMessages.DefinitionRetired e) {
        publish(e.tenant(), e.kind(), e.id(), e.body(), false, e.version(), e.createdAt(), e.at());
    }

    private void publish(String tenant, String kind, String id, com.fasterxml.jackson.databind.JsonNode body,
                         boolean active, int version, java.time.Instant createdAt, java.time.Instant at) {
        switch (kind) {
            case Rules.KIND -> writer.publish(Rules.toDefinition(tenant, id, body, active, version, createdAt, at));
            default -> throw new IllegalStateException("no catalog form for definitions of kind " + kind);
        }
    }

    @EventHandler
    void on(EventTypeDeleted e) {
        writer.publishDeletion(Keys.catalog(e.tenant(), EventTypeDefinition.KIND, e.name()));
    }
}
