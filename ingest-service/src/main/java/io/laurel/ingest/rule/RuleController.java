package io.laurel.ingest.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.Ids;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.ingest.catalog.Blocking;
import io.laurel.ingest.catalog.Bodies;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Scoring rules, stored and versioned in the catalog; the scoring service gives them meaning. */
@RestController
public class RuleController {
    private static final Pattern CURRENCY = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    private static final long MAX_BODY = 64 * 1024;

    private final CatalogView catalog;
    private final CatalogWriter writer;

    public RuleController(CatalogView catalog, CatalogWriter writer) {
        this.catalog = catalog;
        this.writer = writer;
    }

    @PostMapping("/v1/admin/rules")
    public Mono<ResponseEntity<RuleDefinition>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            List<FieldError> errors = new ArrayList<>();
            String name = body.path("name").isTextual() ? body.path("name").asText() : "";
            if (name.isBlank()) {
                errors.add(new FieldError("/name", "is required"));
            }
            String eventType = body.path("event_type").isTextual() ? body.path("event_type").asText() : "";
            if (eventType.isBlank()) {
                errors.add(new FieldError("/event_type", "is required"));
            }
            JsonNode points = body.get("points");
            String expression = body.path("points_expression").isTextual() ? body.path("points_expression").asText() : null;
            if ((points == null || points.isNull()) && expression == null) {
                errors.add(new FieldError("/points", "is required (or give points_expression)"));
            } else if (points != null && !points.isNull() && !points.isIntegralNumber()) {
                errors.add(new FieldError("/points", "must be an integer"));
            }
            String currency = body.path("currency").isTextual() ? body.path("currency").asText() : "points";
            if (!CURRENCY.matcher(currency).matches()) {
                errors.add(new FieldError("/currency", "must be lower-case letters, digits, '_' or '-'"));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid("Invalid rule.", errors);
            }
            long amount = points == null || points.isNull() ? 0 : points.asLong();
            return Blocking.call(() -> writer.change(() -> {
                if (catalog.eventType(tenant, eventType).isEmpty()) {
                    throw new ProblemException(HttpStatus.BAD_REQUEST, "EVENT_TYPE_NOT_DECLARED",
                            "Event type not declared", "Event type '" + eventType + "' is not declared for this tenant.",
                            List.of(new FieldError("/event_type", "not declared")));
                }
                Instant now = Instant.now();
                RuleDefinition rule = new RuleDefinition(tenant, Ids.timeOrdered().toString(), name, eventType, amount,
                        currency, body.get("condition"), expression, body.get("cap"), true, 1, now, now);
                return CatalogWriter.Change.of(rule, rule);
            })).map(r -> ResponseEntity.status(HttpStatus.CREATED).body(r));
        });
    }

    @GetMapping("/v1/admin/rules")
    public Map<String, List<RuleDefinition>> list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return Map.of("rules", catalog.rules(tenant).stream().sorted(Comparator.comparing(RuleDefinition::id)).toList());
    }

    @GetMapping("/v1/admin/rules/{id}")
    public RuleDefinition get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return catalog.rule(tenant, id).orElseThrow(() -> ProblemException.notFound("RULE_NOT_FOUND", "No rule " + id));
    }
}
