package io.laurel.ingest.level;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.laurel.events.catalog.LevelDefinition;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.ingest.definition.DefinitionCommands;
import io.laurel.ingest.definition.DefinitionWrites;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Bodies;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
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

/** Level sets (levels on a currency), decided by their catalog aggregate and published through the catalog topic. */
@RestController
public class LevelAdminController {
    private static final long MAX_BODY = 64 * 1024;

    private final CatalogView catalog;
    private final DefinitionWrites<LevelDefinition> writes;

    public LevelAdminController(CatalogView catalog, CatalogWriter writer, DefinitionCommands commands) {
        this.catalog = catalog;
        this.writes = new DefinitionWrites<>(Levels.KIND, commands, writer, catalog::level, LevelDefinition::active);
    }

    @PostMapping("/v1/admin/levels")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.events.catalog.LevelDefinition.class)))
    public Mono<ResponseEntity<LevelDefinition>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            String id = Levels.id(body);
            var levels = Levels.validate(body);
            return Blocking.call(() -> writes.define(tenant, id, levels))
                    .map(l -> ResponseEntity.status(HttpStatus.CREATED).body(l));
        });
    }

    @PutMapping("/v1/admin/levels/{id}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.events.catalog.LevelDefinition.class)))
    public Mono<LevelDefinition> update(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            var levels = Levels.validate(body);
            return Blocking.call(() -> writes.revise(tenant, id, levels));
        });
    }

    @DeleteMapping("/v1/admin/levels/{id}")
    public Mono<ResponseEntity<Void>> retire(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Blocking.call(() -> {
            writes.retire(tenant, id);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping("/v1/admin/levels")
    public LevelList list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return new LevelList(catalog.levels(tenant));
    }

    @GetMapping("/v1/admin/levels/{id}")
    public LevelDefinition get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return catalog.level(tenant, id).filter(LevelDefinition::active).orElseThrow(() ->
                ProblemException.notFound("LEVEL_NOT_FOUND", "No levels '" + id + "' in this tenant."));
    }

    /** {@code GET /v1/admin/levels}. */
    public record LevelList(List<LevelDefinition> levels) {
    }
}
