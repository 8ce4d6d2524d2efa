package io.laurel.ingest.catalog;

import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.Keys;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeChanged;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeclared;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeleted;
import io.laurel.ingest.definition.DefinitionMessages;
import io.laurel.ingest.rule.Rules;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.catalog.RuleDefinition;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards the catalog aggregates' events to the compacted {@code laurel.catalog} topic, as the
 * definitions every service folds. A tracking processor with its token in PostgreSQL: an event is
 * forwarded at least once, in order, and the compacted topic keeps the latest version per key.
 */
@Component
@ProcessingGroup(CatalogAxonConfiguration.FORWARDER)
public class CatalogForwarder {
    private final CatalogWriter writer;
    private final EventStore eventStore;

    public CatalogForwarder(CatalogWriter writer, EventStore eventStore) {
        this.writer = writer;
        this.eventStore = eventStore;
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
    void on(DefinitionMessages.DefinitionDefined e, @SequenceNumber long sequence) {
        publish(e.aggregateId(), sequence, e.tenant(), e.kind(), e.id(), e.body(), true, e.version(), e.createdAt(), e.at());
    }

    @EventHandler
    void on(DefinitionMessages.DefinitionRevised e, @SequenceNumber long sequence) {
        publish(e.aggregateId(), sequence, e.tenant(), e.kind(), e.id(), e.body(), true, e.version(), e.createdAt(), e.at());
    }

    @EventHandler
    void on(DefinitionMessages.DefinitionRetired e, @SequenceNumber long sequence) {
        publish(e.aggregateId(), sequence, e.tenant(), e.kind(), e.id(), e.body(), false, e.version(), e.createdAt(), e.at());
    }

    private void publish(String aggregateId, long sequence, String tenant, String kind, String id, JsonNode body,
                         boolean active, int version, Instant createdAt, Instant at) {
        switch (kind) {
            case Rules.KIND -> writer.publish(Rules.toDefinition(tenant, id, body, active, version, createdAt, at,
                    earlierRuleVersions(aggregateId, sequence)));
            case io.laurel.ingest.leaderboard.Leaderboards.KIND -> writer.publish(
                    io.laurel.ingest.leaderboard.Leaderboards.toDefinition(tenant, id, body, active, version, createdAt, at));
            case io.laurel.ingest.badge.Badges.KIND -> writer.publish(
                    io.laurel.ingest.badge.Badges.toDefinition(tenant, id, body, active, version, createdAt, at));
            case io.laurel.ingest.level.Levels.KIND -> writer.publish(
                    io.laurel.ingest.level.Levels.toDefinition(tenant, id, body, active, version, createdAt, at));
            case io.laurel.ingest.challenge.Challenges.KIND -> writer.publish(
                    io.laurel.ingest.challenge.Challenges.toDefinition(tenant, id, body, active, version, createdAt, at));
            case io.laurel.ingest.feature.Features.KIND -> writer.publish(
                    io.laurel.ingest.feature.Features.toDefinition(tenant, id, body, active, version, createdAt, at));
            case io.laurel.ingest.certificate.CertificateTemplates.KIND -> writer.publish(
                    io.laurel.ingest.certificate.CertificateTemplates.toDefinition(tenant, id, body, active, version,
                            createdAt, at));
            default -> throw new IllegalStateException("no catalog form for definitions of kind " + kind);
        }
    }

    /**
     * The rule's versions before the event at {@code sequence}, from the aggregate's own events: the record
     * on the compacted topic carries them, so every service can apply the version in effect at an event's
     * arrival even after compaction dropped the earlier records.
     */
    private List<RuleDefinition> earlierRuleVersions(String aggregateId, long sequence) {
        List<RuleDefinition> versions = new ArrayList<>();
        eventStore.readEvents(aggregateId).asStream()
                .filter(m -> m.getSequenceNumber() < sequence)
                .forEach(m -> {
                    Object p = m.getPayload();
                    if (p instanceof DefinitionMessages.DefinitionDefined d) {
                        versions.add(Rules.toDefinition(d.tenant(), d.id(), d.body(), true, d.version(), d.createdAt(), d.at(), null));
                    } else if (p instanceof DefinitionMessages.DefinitionRevised d) {
                        versions.add(Rules.toDefinition(d.tenant(), d.id(), d.body(), true, d.version(), d.createdAt(), d.at(), null));
                    } else if (p instanceof DefinitionMessages.DefinitionRetired d) {
                        versions.add(Rules.toDefinition(d.tenant(), d.id(), d.body(), false, d.version(), d.createdAt(), d.at(), null));
                    }
                });
        return versions;
    }

    @EventHandler
    void on(EventTypeDeleted e) {
        writer.publishDeletion(Keys.catalog(e.tenant(), EventTypeDefinition.KIND, e.name()));
    }
}
