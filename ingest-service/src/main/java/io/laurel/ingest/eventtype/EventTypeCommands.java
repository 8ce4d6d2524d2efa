package io.laurel.ingest.eventtype;

import io.laurel.runtime.axon.CommandFailures;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.ingest.eventtype.EventTypeMessages.ChangeEventType;
import io.laurel.ingest.eventtype.EventTypeMessages.DeclareEventType;
import io.laurel.ingest.eventtype.EventTypeMessages.DeleteEventType;
import io.laurel.runtime.web.ProblemException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Sends the event-type commands (blocking: call it off the event loop) and turns the aggregate's
 * refusals into the API's problems: 409 EVENT_TYPE_EXISTS, 404 EVENT_TYPE_NOT_FOUND, 403 SYSTEM_EVENT_TYPE.
 */
@Component
public class EventTypeCommands {
    private final CommandGateway gateway;

    public EventTypeCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public void declare(String tenant, String name, String id, String description, JsonNode schema, boolean system) {
        send(new DeclareEventType(EventTypeMessages.aggregateId(tenant, name), tenant, name, id, description, schema,
                system, Instant.now()), name);
    }

    public void change(String tenant, String name, String description, JsonNode schema) {
        send(new ChangeEventType(EventTypeMessages.aggregateId(tenant, name), description, schema, Instant.now()), name);
    }

    public void delete(String tenant, String name) {
        send(new DeleteEventType(EventTypeMessages.aggregateId(tenant, name), Instant.now()), name);
    }

    private void send(Object command, String name) {
        try {
            gateway.sendAndWait(command);
        } catch (RuntimeException e) {
            throw problem(e, name);
        }
    }

    static RuntimeException problem(Throwable e, String name) {
        Throwable cause = CommandFailures.cause(e);
        // contended: another instance created it at the same moment (two ingest instances starting together)
        if (cause instanceof EventTypeMessages.EventTypeExists || CommandFailures.contended(cause)) {
            return new ProblemException(HttpStatus.CONFLICT, "EVENT_TYPE_EXISTS", "Event type exists",
                    "Event type '" + name + "' exists already in this tenant.");
        }
        if (cause instanceof EventTypeMessages.EventTypeNotFound || cause instanceof AggregateNotFoundException) {
            return ProblemException.notFound("EVENT_TYPE_NOT_FOUND", "No event type '" + name + "' in this tenant.");
        }
        if (cause instanceof EventTypeMessages.SystemEventType) {
            return new ProblemException(HttpStatus.FORBIDDEN, "SYSTEM_EVENT_TYPE", "System event type", cause.getMessage());
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }
}
