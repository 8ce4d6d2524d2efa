package io.laurel.ingest.feature;

import io.laurel.api.FeatureRequest;
import io.laurel.events.catalog.FeatureDefinition;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.ingest.definition.DefinitionCommands;
import io.laurel.ingest.definition.DefinitionWrites;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.RequestBinder;
import io.laurel.runtime.web.Scope;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
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

/**
 * Features (unlocks): checked at definition (the badge, level or challenge they name must exist: 422 with a pointer),
 * decided by their catalog aggregate, published through the catalog topic; the badge service unlocks them.
 */
@RestController
public class FeatureAdminController {
    private static final long MAX_BODY = 64 * 1024;

    private final CatalogView catalog;
    private final DefinitionWrites<FeatureDefinition> writes;

    public FeatureAdminController(CatalogView catalog, CatalogWriter writer, DefinitionCommands commands) {
        this.catalog = catalog;
        this.writes = new DefinitionWrites<>(Features.KIND, commands, writer, catalog::feature,
                FeatureDefinition::active);
    }

    @PostMapping("/v1/admin/features")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = FeatureRequest.class)))
    public Mono<ResponseEntity<FeatureDefinition>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, FeatureRequest.class, "feature",
                r -> r.id() == null ? List.of(new FieldError("/id", "is required: 1 to 63 letters, digits, '_', '.' and"
                        + " '-', starting with a letter or digit")) : Features.unknownReferences(catalog, tenant, r)).flatMap(request ->
                Blocking.call(() -> writes.define(tenant, request.id(), Features.body(request.id(), request)))
                        .map(t -> ResponseEntity.status(HttpStatus.CREATED).body(t)));
    }

    @PutMapping("/v1/admin/features/{id}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = FeatureRequest.class)))
    public Mono<FeatureDefinition> update(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, FeatureRequest.class, "feature",
                r -> Features.unknownReferences(catalog, tenant, r)).flatMap(request ->
                Blocking.call(() -> writes.revise(tenant, id, Features.body(id, request))));
    }

    @DeleteMapping("/v1/admin/features/{id}")
    public Mono<ResponseEntity<Void>> retire(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Blocking.call(() -> {
            writes.retire(tenant, id);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping("/v1/admin/features")
    public FeatureList list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return new FeatureList(catalog.features(tenant));
    }

    @GetMapping("/v1/admin/features/{id}")
    public FeatureDefinition get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return catalog.feature(tenant, id).filter(FeatureDefinition::active).orElseThrow(() ->
                ProblemException.notFound("FEATURE_NOT_FOUND", "No feature '" + id
                        + "' in this tenant."));
    }

    /** {@code GET /v1/admin/features}. */
    public record FeatureList(List<FeatureDefinition> features) {
    }
}
