package io.laurel.ingest.event;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.EventAccepted;
import io.laurel.runtime.web.Bodies;
import io.laurel.ingest.eventtype.CompiledSchemas;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Problems;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@code POST /v1/events} and {@code POST /v1/events:batch}: validate, append, answer after Kafka's ack. */
@RestController
public class EventController {
    static final int MAX_BATCH = 1000;

    private final EventValidator validator;
    private final EventAppender appender;
    private final LaurelProperties props;
    private final io.laurel.ingest.quota.TenantQuotas quotas;
    private final IngestMetrics metrics;
    private final org.springframework.beans.factory.ObjectProvider<io.laurel.runtime.outcome.BadgeOutcomes> badges;

    public EventController(CatalogView catalog, CompiledSchemas schemas, EventAppender appender, LaurelProperties props,
                           org.springframework.beans.factory.ObjectProvider<io.laurel.runtime.outcome.BadgeOutcomes> badges,
                           io.laurel.ingest.quota.TenantQuotas quotas, IngestMetrics metrics) {
        this.metrics = metrics;
        this.badges = badges;
        this.quotas = quotas;
        this.validator = new EventValidator(catalog::eventType, schemas, Clock.systemUTC(),
                props.getIngest().getMaxFutureSkew(), catalog::position);
        this.appender = appender;
        this.props = props;
    }

    /**
     * Validates one event as {@code POST /v1/events} would (type declared, schema, envelope), and sends nothing:
     * 200 {@code {"valid": true, …}}, or the problem the event would be answered with (the console's "try an event").
     */
    @PostMapping("/v1/events:validate")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.Event.class)))
    public Mono<io.laurel.api.EventValidation> validateOnly(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        String tenant = caller.require(Scope.EVENTS_WRITE);
        return Bodies.json(exchange, props.getIngest().getMaxEventBytes())
                .map(body -> validator.validate(tenant, body, caller.scopes()))
                .map(e -> new io.laurel.api.EventValidation(true, e.eventType(), e.eventTypeVersion(), e.userId()));
    }

    /**
     * Appends one event. With {@code wait=badges} the answer waits (at most {@code wait_ms}, default 5000,
     * at most 10000) until the badge service has processed the event and carries {@code badges}, the badges
     * the event earned ({@code badge_earned} true when any), or {@code badges_decided: false} when the time
     * ran out; the event is accepted either way.
     */
    @PostMapping("/v1/events")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.Event.class)))
    public Mono<ResponseEntity<io.laurel.api.EventReceipt>> post(
            @org.springframework.web.bind.annotation.RequestParam(required = false) String wait,
            @org.springframework.web.bind.annotation.RequestParam(name = "wait_ms", defaultValue = "5000") long waitMs,
            ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        String tenant = caller.require(Scope.EVENTS_WRITE);
        io.laurel.runtime.outcome.BadgeOutcomes waitFor = BadgeWait.outcomes(wait, waitMs, badges);
        return Bodies.json(exchange, props.getIngest().getMaxEventBytes())
                .map(body -> validator.validate(tenant, body, caller.scopes()))
                .doOnError(e -> metrics.count(tenant, IngestMetrics.Outcome.REJECTED))
                .flatMap(event -> {
                    if (waitFor == null) {
                        return appender.append(event).map(outcome -> outcome.duplicate()
                                ? ResponseEntity.ok(answer(outcome.eventId(), "duplicate"))
                                : ResponseEntity.status(HttpStatus.ACCEPTED).body(answer(outcome.eventId(), "accepted")));
                    }
                    return BadgeWait.append(appender, waitFor, event, tenant, waitMs).map(d -> {
                        var earned = d.earned();
                        var m = new io.laurel.api.EventReceipt(d.outcome().eventId(), d.outcome().duplicate()
                                ? "duplicate" : "accepted", earned != null, earned != null && !earned.isEmpty(),
                                earned == null ? java.util.List.of() : earned);
                        return d.outcome().duplicate() ? ResponseEntity.ok(m)
                                : ResponseEntity.status(HttpStatus.ACCEPTED).body(m);
                    });
                });
    }

    @PostMapping("/v1/events:batch")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.EventBatch.class)))
    public Mono<io.laurel.api.BatchResults> batch(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        String tenant = caller.require(Scope.EVENTS_WRITE);
        return Bodies.json(exchange, props.getIngest().getMaxBatchBytes()).flatMap(body -> {
            JsonNode events = body.get("events");
            if (events == null || !events.isArray()) {
                throw ProblemException.invalid("A batch is {\"events\": [ ... ]}.",
                        List.of(new ProblemException.FieldError("/events", "must be an array")));
            }
            if (events.size() > MAX_BATCH) {
                throw ProblemException.invalid("A batch holds at most " + MAX_BATCH + " events.",
                        List.of(new ProblemException.FieldError("/events", "has " + events.size() + " items")));
            }
            quotas.admit(tenant, events.size());
            // Validate all, then append every valid event at once and answer when the last is settled. A later
            // event repeating an earlier one's idempotence key waits for it and answers "duplicate" with its
            // id, so the first occurrence is always the one accepted.
            List<CompletableFuture<io.laurel.api.BatchResult>> results = new ArrayList<>(events.size());
            Map<List<String>, CompletableFuture<EventAppender.Outcome>> firstByKey = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                int index = i;
                EventAccepted event;
                try {
                    event = validator.validate(tenant, events.get(i), caller.scopes());
                } catch (ProblemException e) {
                    metrics.count(tenant, IngestMetrics.Outcome.REJECTED);
                    results.add(CompletableFuture.completedFuture(failed(index, e)));
                    continue;
                }
                List<String> key = event.idempotenceKey() == null ? null
                        : List.of(event.eventType(), IdempotenceStore.scopedKey(event));
                CompletableFuture<EventAppender.Outcome> earlier = key == null ? null : firstByKey.get(key);
                CompletableFuture<EventAppender.Outcome> outcome;
                if (earlier != null) {
                    outcome = earlier.thenApply(o -> {
                        metrics.count(tenant, IngestMetrics.Outcome.DUPLICATE);
                        return new EventAppender.Outcome(o.eventId(), true);
                    });
                } else {
                    outcome = appender.appendFuture(event);
                    if (key != null) {
                        firstByKey.put(key, outcome);
                    }
                }
                results.add(outcome.handle((o, error) -> error == null ? accepted(index, o)
                        : failed(index, Problems.from(error instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : error))));
            }
            return Mono.fromFuture(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)), true)
                    // settled on the producer's I/O thread: answer the request elsewhere
                    .publishOn(Schedulers.parallel())
                    .then(Mono.fromSupplier(() -> new io.laurel.api.BatchResults(
                            results.stream().map(CompletableFuture::join).toList())));
        });
    }

    private static io.laurel.api.BatchResult accepted(int index, EventAppender.Outcome o) {
        return new io.laurel.api.BatchResult(index, o.duplicate() ? "duplicate" : "accepted", o.eventId(), null);
    }

    private static io.laurel.api.BatchResult failed(int index, ProblemException e) {
        return new io.laurel.api.BatchResult(index, "rejected", null, Problems.record(e, null));
    }

    private static io.laurel.api.EventReceipt answer(String eventId, String status) {
        return new io.laurel.api.EventReceipt(eventId, status, null, null, null);
    }
}
