package io.laurel.ingest.challenge;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.catalog.ChallengeDefinition;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Challenge definitions, decided by their catalog aggregate (each change a new version) and published to every
 * service through the catalog topic; the badge service follows each user's progress against them.
 */
@RestController
public class ChallengeAdminController {
    private static final long MAX_BODY = 64 * 1024;

    private final CatalogView catalog;
    private final DefinitionWrites<ChallengeDefinition> writes;

    public ChallengeAdminController(CatalogView catalog, CatalogWriter writer, DefinitionCommands commands) {
        this.catalog = catalog;
        this.writes = new DefinitionWrites<>(Challenges.KIND, commands, writer, catalog::challenge,
                ChallengeDefinition::active);
    }

    @PostMapping("/v1/admin/challenges")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.ChallengeDefinition.class)))
    public Mono<ResponseEntity<io.laurel.api.ChallengeDefinition>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            String id = Challenges.id(body);
            ObjectNode challenge = Challenges.validate(body);
            requireKnown(tenant, challenge);
            return Blocking.call(() -> writes.define(tenant, id, challenge))
                    .map(c -> ResponseEntity.status(HttpStatus.CREATED).body(Challenges.view(c)));
        });
    }

    @PutMapping("/v1/admin/challenges/{id}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.ChallengeDefinition.class)))
    public Mono<io.laurel.api.ChallengeDefinition> update(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            ObjectNode challenge = Challenges.validate(body);
            requireKnown(tenant, challenge);
            return Blocking.call(() -> Challenges.view(writes.revise(tenant, id, challenge)));
        });
    }

    @DeleteMapping("/v1/admin/challenges/{id}")
    public Mono<ResponseEntity<Void>> retire(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Blocking.call(() -> {
            writes.retire(tenant, id);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping("/v1/admin/challenges")
    public io.laurel.api.ChallengeDefinitions list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return new io.laurel.api.ChallengeDefinitions(catalog.challenges(tenant).stream().map(Challenges::view).toList());
    }

    @GetMapping("/v1/admin/challenges/{id}")
    public io.laurel.api.ChallengeDefinition get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return catalog.challenge(tenant, id).filter(ChallengeDefinition::active).map(Challenges::view).orElseThrow(() ->
                ProblemException.notFound("CHALLENGE_NOT_FOUND", "No challenge '" + id + "' in this tenant."));
    }

    /** Every event type a step names is declared, and every badge a step or the reward names is defined: else 400. */
    private void requireKnown(String tenant, ObjectNode challenge) {
        List<FieldError> types = new ArrayList<>();
        for (String[] t : Challenges.eventTypes(challenge)) {
            if (catalog.eventType(tenant, t[1]).isEmpty()) {
                types.add(new FieldError(t[0], "event type '" + t[1] + "' is not declared"));
            }
        }
        if (!types.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "EVENT_TYPE_NOT_DECLARED", "Event type not declared",
                    "A step names an event type this tenant has not declared.", types);
        }
        List<FieldError> badges = new ArrayList<>();
        for (String[] b : Challenges.badges(challenge)) {
            if (catalog.badge(tenant, b[1]).filter(io.laurel.events.catalog.BadgeDefinition::active).isEmpty()) {
                badges.add(new FieldError(b[0], "badge '" + b[1] + "' is not defined"));
            }
        }
        if (!badges.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "BADGE_NOT_DEFINED", "Badge not defined",
                    "The challenge names a badge this tenant has not defined.", badges);
        }
    }
}
