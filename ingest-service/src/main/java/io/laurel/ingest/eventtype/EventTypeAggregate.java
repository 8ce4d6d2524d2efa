package io.laurel.ingest.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.ingest.eventtype.EventTypeMessages.ChangeEventType;
import io.laurel.ingest.eventtype.EventTypeMessages.DeclareEventType;
import io.laurel.ingest.eventtype.EventTypeMessages.DeleteEventType;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeChanged;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeclared;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeleted;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeExists;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeNotFound;
import io.laurel.ingest.eventtype.EventTypeMessages.SystemEventType;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One event type of one tenant. Its name is unique in the tenant (it is the identity); every change
 * is a new version; system types can be neither changed nor deleted; a deleted name may be declared
 * again, and its versions go on counting.
 */
@Aggregate
public class EventTypeAggregate {
    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private String name;
    private String id;
    private String description;
    private JsonNode schema;
    private boolean system;
    private boolean live;
    private int version;
    private java.time.Instant createdAt;

    public EventTypeAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(DeclareEventType command) {
        if (live) {
            throw new EventTypeExists(command.name());
        }
        apply(new EventTypeDeclared(command.aggregateId(), command.tenant(), command.name(), command.id(),
                command.description(), command.schema(), command.system(), version + 1, command.at(), command.at()));
    }

    @CommandHandler
    public void handle(ChangeEventType command) {
        requireChangeable();
        apply(new EventTypeChanged(aggregateId, tenant, name, id,
                command.description() == null ? description : command.description(),
                command.schema() == null ? schema : command.schema(), false, version + 1, createdAt, command.at()));
    }

    @CommandHandler
    public void handle(DeleteEventType command) {
        requireChangeable();
        apply(new EventTypeDeleted(aggregateId, tenant, name, version + 1, command.at()));
    }

    private void requireChangeable() {
        if (!live) {
            throw new EventTypeNotFound(name == null ? aggregateId : name);
        }
        if (system) {
            throw new SystemEventType(name);
        }
    }

    @EventSourcingHandler
    void on(EventTypeDeclared e) {
        aggregateId = e.aggregateId();
        tenant = e.tenant();
        name = e.name();
        id = e.id();
        description = e.description();
        schema = e.schema();
        system = e.system();
        createdAt = e.createdAt();
        version = e.version();
        live = true;
    }

    @EventSourcingHandler
    void on(EventTypeChanged e) {
        description = e.description();
        schema = e.schema();
        version = e.version();
    }

    @EventSourcingHandler
    void on(EventTypeDeleted e) {
        version = e.version();
        live = false;
    }
}
