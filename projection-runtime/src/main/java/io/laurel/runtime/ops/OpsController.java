package io.laurel.runtime.ops;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.projection.ProjectionStatus;
import io.laurel.runtime.projection.RebuildView;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Platform operations on the projections of this service: status and lag, rebuild into a new generation,
 * progress, manual switch and cancel. Only the platform key (decision 0019).
 */
@RestController
public class OpsController {
    private final ProjectionManager manager;

    public OpsController(ProjectionManager manager) {
        this.manager = manager;
    }

    @GetMapping("/v1/ops/projections")
    public Mono<ProjectionList> projections(ServerWebExchange exchange) {
        Caller.of(exchange).requirePlatform();
        // the lag of a projection without partitions is read from the database and the broker: off the event loop
        // every service's, whichever instance answers: its own merged with the others' reports (StatusReports)
        return Blocking.call(() -> new ProjectionList(manager.platformStatus()));
    }

    @GetMapping("/v1/ops/projections/{name}")
    public Mono<ProjectionStatus> projection(@PathVariable String name, ServerWebExchange exchange) {
        Caller.of(exchange).requirePlatform();
        return Blocking.call(() -> manager.platformStatus().stream().filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("PROJECTION_NOT_FOUND", "No projection named " + name)));
    }

    /** Body (optional): {@code {"switch": "auto" | "manual"}}; auto by default. */
    @PostMapping("/v1/ops/projections/{name}/rebuild")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.RebuildRequest.class)))
    public Mono<ResponseEntity<RebuildView>> rebuild(@PathVariable String name,
                                                     @RequestBody(required = false) Mono<JsonNode> body,
                                                     ServerWebExchange exchange) {
        Caller.of(exchange).requirePlatform();
        if (manager.projection(name).isEmpty()) {
            throw ProblemException.notFound("PROJECTION_NOT_FOUND", "No projection named " + name);
        }
        return body.map(b -> b.path("switch").asText("auto")).defaultIfEmpty("auto").flatMap(mode -> {
            if (!mode.equals("auto") && !mode.equals("manual")) {
                throw ProblemException.badRequest("INVALID_SWITCH_MODE", "switch must be 'auto' or 'manual'");
            }
            return Blocking.call(() -> {
                try {
                    return ResponseEntity.status(HttpStatus.ACCEPTED).body(manager.startRebuild(name, mode.equals("auto")));
                } catch (IllegalStateException e) {
                    throw new ProblemException(HttpStatus.CONFLICT, "REBUILD_IN_PROGRESS", "Rebuild in progress",
                            e.getMessage());
                }
            });
        });
    }

    @GetMapping("/v1/ops/rebuilds/{id}")
    public Mono<RebuildView> rebuild(@PathVariable String id, ServerWebExchange exchange) {
        Caller.of(exchange).requirePlatform();
        UUID uuid = parse(id);
        return Blocking.call(() -> manager.rebuild(uuid)
                .orElseThrow(() -> ProblemException.notFound("REBUILD_NOT_FOUND", "No rebuild " + id)));
    }

    @PostMapping("/v1/ops/rebuilds/{id}/switch")
    public Mono<RebuildView> switchRebuild(@PathVariable String id, ServerWebExchange exchange) {
        return ask(id, exchange, manager::switchRebuild);
    }

    @DeleteMapping("/v1/ops/rebuilds/{id}")
    public Mono<RebuildView> cancel(@PathVariable String id, ServerWebExchange exchange) {
        return ask(id, exchange, manager::cancelRebuild);
    }

    /** What is asked of a rebuild, whichever instance runs it; 404 when none such is under way. */
    private Mono<RebuildView> ask(String id, ServerWebExchange exchange, RebuildRequest request) {
        Caller.of(exchange).requirePlatform();
        UUID uuid = parse(id);
        return Blocking.call(() -> {
            try {
                return request.ask(uuid);
            } catch (IllegalArgumentException e) {
                throw ProblemException.notFound("REBUILD_NOT_FOUND", e.getMessage());
            }
        });
    }

    private interface RebuildRequest {
        RebuildView ask(UUID id) throws java.sql.SQLException;
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("REBUILD_NOT_FOUND", "No rebuild " + id);
        }
    }


    /** {@code GET /v1/ops/projections}: every projection of the platform. */
    public record ProjectionList(List<ProjectionStatus> projections) {
    }
}
