package io.laurel.ingest.badge;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.ingest.definition.DefinitionCommands;
import io.laurel.ingest.definition.DefinitionWrites;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Bodies;
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

import java.util.List;
import java.util.Map;

/**
 * Badge definitions, decided by their catalog aggregate (each change a new version) and published to every
 * service through the catalog topic; the badge service evaluates events and the points journal against them.
 */
@RestController
public class BadgeAdminController {
    private static final long MAX_BODY = 256 * 1024; // an attendance badge may list many sessions

    private final CatalogView catalog;
    private final DefinitionWrites<BadgeDefinition> writes;

    public BadgeAdminController(CatalogView catalog, CatalogWriter writer, DefinitionCommands commands) {
        this.catalog = catalog;
        this.writes = new DefinitionWrites<>(Badges.KIND, commands, writer, catalog::badge, BadgeDefinition::active);
    }

    @PostMapping("/v1/admin/badges")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.BadgeDefinition.class)))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.BadgeDefinition.class)))
    public Mono<ResponseEntity<ObjectNode>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            String id = Badges.id(body);
            ObjectNode badge = Badges.validate(body);
            requireDeclared(tenant, badge);
            return Blocking.call(() -> writes.define(tenant, id, badge))
                    .map(b -> ResponseEntity.status(HttpStatus.CREATED).body(Badges.view(b)));
        });
    }

    @PutMapping("/v1/admin/badges/{id}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.BadgeDefinition.class)))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.BadgeDefinition.class)))
    public Mono<ObjectNode> update(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            ObjectNode badge = Badges.validate(body);
            requireDeclared(tenant, badge);
            return Blocking.call(() -> Badges.view(writes.revise(tenant, id, badge)));
        });
    }

    @DeleteMapping("/v1/admin/badges/{id}")
    public Mono<ResponseEntity<Void>> retire(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Blocking.call(() -> {
            writes.retire(tenant, id);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping("/v1/admin/badges")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.BadgeDefinitions.class)))
    public Map<String, List<ObjectNode>> list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return Map.of("badges", catalog.badges(tenant).stream().map(Badges::view).toList());
    }

    @GetMapping("/v1/admin/badges/{id}")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.BadgeDefinition.class)))
    public ObjectNode get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return catalog.badge(tenant, id).filter(BadgeDefinition::active).map(Badges::view).orElseThrow(() ->
                ProblemException.notFound("BADGE_NOT_FOUND", "No badge '" + id + "' in this tenant."));
    }

    private void requireDeclared(String tenant, ObjectNode badge) {
        String template = badge.path("certificate_template").isTextual() ? badge.path("certificate_template").asText() : null;
        if (template != null && catalog.certificateTemplate(tenant, template)
                .filter(io.laurel.events.catalog.CertificateTemplateDefinition::active).isEmpty()) {
            throw ProblemException.invalid("Invalid badge.", List.of(new FieldError("/certificate_template",
                    "no certificate template '" + template + "' in this tenant")));
        }
        String eventType = badge.path("event_type").isTextual() ? badge.path("event_type").asText() : null;
        if (eventType != null && catalog.eventType(tenant, eventType).isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "EVENT_TYPE_NOT_DECLARED",
                    "Event type not declared", "Event type '" + eventType + "' is not declared for this tenant.",
                    List.of(new FieldError("/event_type", "not declared")));
        }
    }
}
