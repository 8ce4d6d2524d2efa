package io.laurel.ingest.eventtype;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.Ids;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Bodies;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tenant's event types. Names are unique per tenant; the schema may be full JSON Schema or the
 * short form, and is stored as JSON Schema; every change makes a new version. System types stay.
 */
@RestController
public class EventTypeController {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");
    private static final long MAX_BODY = 256 * 1024;


    private final CatalogView catalog;
    private final CatalogWriter writer;
    private final EventTypeCommands commands;

    public EventTypeController(CatalogView catalog, CatalogWriter writer, EventTypeCommands commands) {
        this.catalog = catalog;
        this.writer = writer;
        this.commands = commands;
    }

    /** The answer's shape, as API.md fixes it. */
    public record EventTypeView(String id, String name, String description, boolean isSystem,
                                JsonNode eventDataSchema, Instant createdAt, Instant updatedAt, int version) {
        static EventTypeView of(EventTypeDefinition d) {
            return new EventTypeView(d.id(), d.name(), d.description(), d.system(), d.eventDataSchema(), d.createdAt(),
                    d.updatedAt(), d.version());
        }
    }

    @PostMapping("/v1/admin/event-types")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.EventTypeRequest.class)))
    public Mono<ResponseEntity<EventTypeView>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            requireObject(body);
            String name = body.path("name").isTextual() ? body.path("name").asText() : "";
            if (!NAME.matcher(name).matches()) {
                throw ProblemException.invalid("Invalid event type.", List.of(new FieldError("/name",
                        "must be 1 to 100 letters, digits, '_', '.', ':' or '-', starting with a letter or digit")));
            }
            String description = text(body, "description");
            JsonNode schema = schema(body.get("event_data_schema"));
            return Blocking.call(() -> {
                String id = Ids.timeOrdered().toString();
                commands.declare(tenant, name, id, description, schema, false);
                return visible(tenant, name, d -> d.id().equals(id));
            }).map(v -> ResponseEntity.status(HttpStatus.CREATED).body(v));
        });
    }

    @GetMapping("/v1/admin/event-types")
    public EventTypeList list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return new EventTypeList(catalog.eventTypes(tenant).stream().map(EventTypeView::of).toList());
    }

    @GetMapping("/v1/admin/event-types/{name}")
    public EventTypeView get(@PathVariable String name, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return EventTypeView.of(find(tenant, name));
    }

    @PutMapping("/v1/admin/event-types/{name}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.EventTypeRequest.class)))
    public Mono<EventTypeView> update(@PathVariable String name, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            requireObject(body);
            JsonNode schema = body.has("event_data_schema") ? schema(body.get("event_data_schema")) : null;
            String description = body.has("description") ? text(body, "description") : null;
            return Blocking.call(() -> {
                int before = catalog.eventType(tenant, name).map(EventTypeDefinition::version).orElse(0);
                commands.change(tenant, name, description, schema);
                return visible(tenant, name, d -> d.version() > before);
            });
        });
    }

    @DeleteMapping("/v1/admin/event-types/{name}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String name, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Blocking.call(() -> {
            commands.delete(tenant, name);
            writer.awaitVisible(() -> catalog.eventType(tenant, name).isEmpty(), CatalogWriter.VISIBLE_WITHIN);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    /** The definition once the catalog shows the change (the forwarder publishes it asynchronously). */
    private EventTypeView visible(String tenant, String name, java.util.function.Predicate<EventTypeDefinition> done) {
        writer.requireVisible(() -> catalog.eventType(tenant, name).filter(done).isPresent());
        return EventTypeView.of(find(tenant, name));
    }

    private EventTypeDefinition find(String tenant, String name) {
        return catalog.eventType(tenant, name).orElseThrow(() -> ProblemException.notFound("EVENT_TYPE_NOT_FOUND",
                "No event type '" + name + "' in this tenant."));
    }


    private static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw ProblemException.invalid("Expected a JSON object.", List.of(new FieldError("", "expected an object")));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw ProblemException.invalid("Invalid " + field + ".", List.of(new FieldError("/" + field, "must be a string")));
        }
        return v.asText();
    }

    private static JsonNode schema(JsonNode declared) {
        try {
            JsonNode schema = SchemaForms.toJsonSchema(declared);
            CompiledSchemas.compile(schema);
            return schema;
        } catch (InvalidSchemaException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "INVALID_SCHEMA", "Invalid schema",
                    "event_data_schema is not a usable JSON Schema: " + e.getMessage(),
                    List.of(new FieldError("/event_data_schema" + e.pointer(), e.getMessage())));
        }
    }

    /** {@code GET /v1/admin/event-types}. */
    public record EventTypeList(List<EventTypeView> eventTypes) {
    }
}
