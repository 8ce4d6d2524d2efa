package io.laurel.ingest.rule;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.Ids;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Bodies;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.ingest.definition.DefinitionCommands;
import io.laurel.ingest.definition.DefinitionWrites;
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

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Scoring rules, decided by their catalog aggregate (each revision a new version) and published to
 * every service through the catalog topic; the scoring service gives them meaning.
 */
@RestController
public class RuleController {
    private static final long MAX_BODY = 64 * 1024;

    private final CatalogView catalog;
    private final CatalogWriter writer;
    private final DefinitionCommands commands;
    private final DefinitionWrites<RuleDefinition> writes;

    public RuleController(CatalogView catalog, CatalogWriter writer, DefinitionCommands commands) {
        this.catalog = catalog;
        this.writer = writer;
        this.commands = commands;
        // a retired rule stays visible (its versions are the journal's history): every found rule is shown
        this.writes = new DefinitionWrites<>(Rules.KIND, commands, writer, catalog::rule, r -> true);
    }

    @PostMapping("/v1/admin/rules")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.RuleRequest.class)))
    public Mono<ResponseEntity<RuleDefinition>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            ObjectNode rule = Rules.validate(body);
            requireDeclared(tenant, rule.get("event_type").asText());
            String id = Ids.timeOrdered().toString();
            return Blocking.call(() -> writes.define(tenant, id, rule))
                    .map(r -> ResponseEntity.status(HttpStatus.CREATED).body(r));
        });
    }

    @PutMapping("/v1/admin/rules/{id}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.RuleRequest.class)))
    public Mono<RuleDefinition> update(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            ObjectNode rule = Rules.validate(body);
            requireDeclared(tenant, rule.get("event_type").asText());
            catalog.rule(tenant, id).ifPresent(current -> {
                if (!current.eventType().equals(rule.get("event_type").asText())) {
                    throw ProblemException.invalid("A rule keeps its event type; create a new rule for another type.",
                            List.of(new FieldError("/event_type", "cannot change from '" + current.eventType() + "'")));
                }
            });
            return Blocking.call(() -> writes.revise(tenant, id, rule));
        });
    }

    /** Retires the rule: it stops awarding points; its versions stay in the journal's history. */
    @DeleteMapping("/v1/admin/rules/{id}")
    public Mono<ResponseEntity<Void>> retire(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Blocking.call(() -> {
            commands.retire(tenant, Rules.KIND, id);
            writer.requireVisible(() -> catalog.rule(tenant, id).filter(r -> !r.active()).isPresent());
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping("/v1/admin/rules")
    public RuleList list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return new RuleList(catalog.rules(tenant).stream().sorted(Comparator.comparing(RuleDefinition::id)).toList());
    }

    @GetMapping("/v1/admin/rules/{id}")
    public RuleDefinition get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return catalog.rule(tenant, id).orElseThrow(() -> ProblemException.notFound("RULE_NOT_FOUND", "No rule " + id));
    }

    private void requireDeclared(String tenant, String eventType) {
        if (catalog.eventType(tenant, eventType).isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "EVENT_TYPE_NOT_DECLARED", "Event type not declared",
                    "Event type '" + eventType + "' is not declared for this tenant.",
                    List.of(new FieldError("/event_type", "not declared")));
        }
    }

    /** {@code GET /v1/admin/rules}. */
    public record RuleList(List<RuleDefinition> rules) {
    }
}
