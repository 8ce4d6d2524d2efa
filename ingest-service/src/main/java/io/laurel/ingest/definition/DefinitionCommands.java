package io.laurel.ingest.definition;

import io.laurel.runtime.axon.CommandFailures;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.runtime.web.ProblemException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Locale;

/** Sends definition commands (blocking) and maps refusals to problems: 409 {KIND}_EXISTS, 404 {KIND}_NOT_FOUND. */
@Component
public class DefinitionCommands {
    private final CommandGateway gateway;

    public DefinitionCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public void define(String tenant, String kind, String id, JsonNode body) {
        send(new DefinitionMessages.Define(DefinitionMessages.aggregateId(tenant, kind, id), tenant, kind, id, body,
                Instant.now()), kind, id);
    }

    public void revise(String tenant, String kind, String id, JsonNode body) {
        send(new DefinitionMessages.Revise(DefinitionMessages.aggregateId(tenant, kind, id), body, Instant.now()), kind, id);
    }

    public void retire(String tenant, String kind, String id) {
        send(new DefinitionMessages.Retire(DefinitionMessages.aggregateId(tenant, kind, id), Instant.now()), kind, id);
    }

    private void send(Object command, String kind, String id) {
        try {
            gateway.sendAndWait(command);
        } catch (RuntimeException e) {
            throw problem(e, kind, id);
        }
    }

    static RuntimeException problem(Throwable e, String kind, String id) {
        Throwable cause = CommandFailures.cause(e);
        String code = kind.toUpperCase(Locale.ROOT).replace('-', '_');
        if (cause instanceof DefinitionMessages.DefinitionExists || CommandFailures.contended(cause)) {
            return new ProblemException(HttpStatus.CONFLICT, code + "_EXISTS", "Already exists",
                    "A " + kind + " with id '" + id + "' exists already.");
        }
        if (cause instanceof DefinitionMessages.DefinitionNotFound || cause instanceof AggregateNotFoundException) {
            return ProblemException.notFound(code + "_NOT_FOUND", "No " + kind + " '" + id + "'.");
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }
}
