package io.laurel.ingest.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.ingest.definition.DefinitionMessages.Define;
import io.laurel.ingest.definition.DefinitionMessages.DefinitionDefined;
import io.laurel.ingest.definition.DefinitionMessages.DefinitionExists;
import io.laurel.ingest.definition.DefinitionMessages.DefinitionNotFound;
import io.laurel.ingest.definition.DefinitionMessages.DefinitionRetired;
import io.laurel.ingest.definition.DefinitionMessages.DefinitionRevised;
import io.laurel.ingest.definition.DefinitionMessages.Retire;
import io.laurel.ingest.definition.DefinitionMessages.Revise;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One definition of one tenant (a scoring rule, ...). Every revision is a new version, so each
 * journal entry can name the exact rule version that produced it; a retired definition stays in
 * history and can no longer be revised.
 */
@Aggregate
public class DefinitionAggregate {
    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private String kind;
    private String id;
    private JsonNode body;
    private int version;
    private boolean live;
    private Instant createdAt;

    public DefinitionAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(Define command) {
        if (version > 0) {
            throw new DefinitionExists(command.id());
        }
        apply(new DefinitionDefined(command.aggregateId(), command.tenant(), command.kind(), command.id(),
                command.body(), 1, command.at(), command.at()));
    }

    @CommandHandler
    public void handle(Revise command) {
        requireLive();
        apply(new DefinitionRevised(aggregateId, tenant, kind, id, command.body(), version + 1, createdAt, command.at()));
    }

    @CommandHandler
    public void handle(Retire command) {
        requireLive();
        apply(new DefinitionRetired(aggregateId, tenant, kind, id, body, version + 1, createdAt, command.at()));
    }

    private void requireLive() {
        if (!live) {
            throw new DefinitionNotFound(id == null ? aggregateId : id);
        }
    }

    @EventSourcingHandler
    void on(DefinitionDefined e) {
        aggregateId = e.aggregateId();
        tenant = e.tenant();
        kind = e.kind();
        id = e.id();
        body = e.body();
        version = e.version();
        createdAt = e.createdAt();
        live = true;
    }

    @EventSourcingHandler
    void on(DefinitionRevised e) {
        body = e.body();
        version = e.version();
    }

    @EventSourcingHandler
    void on(DefinitionRetired e) {
        version = e.version();
        live = false;
    }
}
