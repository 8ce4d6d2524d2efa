package io.laurel.ingest.leaderboard;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.events.catalog.TenantDefinition;
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

/**
 * Leaderboard definitions, decided by their catalog aggregate (each change a new version) and published to
 * every service through the catalog topic; the leaderboard service folds the points journal into them.
 * {@code all-time} exists in every tenant and cannot be changed or removed.
 */
@RestController
public class LeaderboardAdminController {
    private static final long MAX_BODY = 16 * 1024;

    private final CatalogView catalog;
    private final DefinitionWrites<LeaderboardDefinition> writes;

    public LeaderboardAdminController(CatalogView catalog, CatalogWriter writer, DefinitionCommands commands) {
        this.catalog = catalog;
        // the catalog answers active leaderboards only
        this.writes = new DefinitionWrites<>(Leaderboards.KIND, commands, writer, catalog::leaderboard, b -> true);
    }

    @PostMapping("/v1/admin/leaderboards")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.LeaderboardDefinition.class)))
    public Mono<ResponseEntity<LeaderboardDefinition>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            String id = Leaderboards.id(body);
            ObjectNode board = Leaderboards.validate(body, zone(tenant));
            if (id.equals(LeaderboardDefinition.ALL_TIME)) {
                throw new ProblemException(HttpStatus.CONFLICT, "LEADERBOARD_EXISTS", "Already exists",
                        "Every tenant has the leaderboard 'all-time'.");
            }
            return Blocking.call(() -> writes.define(tenant, id, board))
                    .map(b -> ResponseEntity.status(HttpStatus.CREATED).body(b));
        });
    }

    @PutMapping("/v1/admin/leaderboards/{id}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.LeaderboardDefinition.class)))
    public Mono<LeaderboardDefinition> update(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        requireOwn(id);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            ObjectNode board = Leaderboards.validate(body, zone(tenant));
            return Blocking.call(() -> writes.revise(tenant, id, board));
        });
    }

    @DeleteMapping("/v1/admin/leaderboards/{id}")
    public Mono<ResponseEntity<Void>> retire(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        requireOwn(id);
        return Blocking.call(() -> {
            writes.retire(tenant, id);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping("/v1/admin/leaderboards")
    public LeaderboardList list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return new LeaderboardList(catalog.leaderboards(tenant));
    }

    @GetMapping("/v1/admin/leaderboards/{id}")
    public LeaderboardDefinition get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return catalog.leaderboard(tenant, id).orElseThrow(() -> ProblemException.notFound("LEADERBOARD_NOT_FOUND",
                "No leaderboard '" + id + "' in this tenant."));
    }

    private static void requireOwn(String id) {
        if (id.equals(LeaderboardDefinition.ALL_TIME)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "SYSTEM_LEADERBOARD", "System leaderboard",
                    "The leaderboard 'all-time' is every tenant's and cannot be changed or removed.");
        }
    }

    private String zone(String tenant) {
        return catalog.tenant(tenant).map(TenantDefinition::zone).map(java.time.ZoneId::getId)
                .map(z -> z.equals("Z") ? "UTC" : z).orElse("UTC");
    }

    /** {@code GET /v1/admin/leaderboards}. */
    public record LeaderboardList(List<LeaderboardDefinition> leaderboards) {
    }
}
