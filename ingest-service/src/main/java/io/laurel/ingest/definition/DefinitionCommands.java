package io.laurel.ingest.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.runtime.web.ProblemException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
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
            Throwable cause = e;
            while (cause instanceof CommandExecutionException && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            String code = kind.toUpperCase(Locale.ROOT).replace('-', '_');
            if (cause instanceof DefinitionMessages.DefinitionExists || cause instanceof ConcurrencyException) {
                throw new ProblemException(HttpStatus.CONFLICT, code + "_EXISTS", "Already exists",
                        "A " + kind + " with id '" + id + "' exists already.");
            }
            if (cause instanceof DefinitionMessages.DefinitionNotFound || cause instanceof AggregateNotFoundException) {
                throw ProblemException.notFound(code + "_NOT_FOUND", "No " + kind + " '" + id + "'.");
            }
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }
}
