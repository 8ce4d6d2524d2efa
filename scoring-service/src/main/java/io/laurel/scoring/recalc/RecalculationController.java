package io.laurel.scoring.recalc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.SystemTypes;
import io.laurel.events.json.IsoInstants;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.RequestBinder;
import io.laurel.api.RecalculationRequest;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Tenant operations: recalculations of the caller's tenant (scope {@code ops}). Another tenant's
 * recalculation is not found (404), whatever the key.
 */
@RestController
public class RecalculationController {
    private static final long MAX_BODY = 1 << 20;

    private final RecalculationService service;
    private final CatalogView catalog;

    public RecalculationController(RecalculationService service, CatalogView catalog) {
        this.service = service;
        this.catalog = catalog;
    }

    /** Body: {@code {"from", "to", "event_types", "user_ids"}}, each optional (null: no bound, no filter). */
    @PostMapping("/v1/ops/recalculations")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @io.swagger.v3.oas.annotations.media
            .Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(
            implementation = RecalculationRequest.class)))
    public Mono<ResponseEntity<io.laurel.api.Recalculation>> start(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.OPS);
        return RequestBinder.body(exchange, MAX_BODY, RecalculationRequest.class, "recalculation",
                request -> unknownTypes(tenant, request)).flatMap(request -> {
            Recalculator.Window window = window(request);
            return Blocking.call(() -> {
                try {
                    return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(service.startDryRun(tenant, window)));
                } catch (RecalculationService.InProgressException e) {
                    throw new ProblemException(HttpStatus.CONFLICT, "RECALCULATION_IN_PROGRESS",
                            "Recalculation in progress", e.getMessage());
                }
            });
        });
    }

    @GetMapping("/v1/ops/recalculations")
    public Mono<io.laurel.api.Recalculations> list(@RequestParam(defaultValue = "20") int limit,
                                                   ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.OPS);
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000");
        }
        return Blocking.call(() -> {
            List<io.laurel.api.Recalculation> list = new java.util.ArrayList<>();
            for (RecalculationStore.Row row : service.list(tenant, limit)) {
                list.add(view(row));
            }
            return new io.laurel.api.Recalculations(list);
        });
    }

    @GetMapping("/v1/ops/recalculations/{id}")
    public Mono<io.laurel.api.Recalculation> get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.OPS);
        UUID uuid = parse(id);
        return Blocking.call(() -> view(found(tenant, uuid)));
    }

    /**
     * The changes per user and currency, largest |delta| first unless {@code sort} ({@code abs_delta},
     * {@code delta}, {@code before}, {@code after}, {@code user_id}, {@code currency}) and {@code order}
     * ({@code asc}, {@code desc}) say otherwise. With {@code Accept: text/csv}, CSV: the page asked for, or
     * every change when no {@code limit} is given.
     */
    @GetMapping("/v1/ops/recalculations/{id}/changes")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "A page of the changes",
            content = {@io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = io.laurel.api.UserChanges.class)),
                    @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/csv")})
    public Mono<ResponseEntity<?>> changes(@PathVariable String id,
                                           @RequestParam(defaultValue = "0") int offset,
                                           @RequestParam(required = false) Integer limit,
                                           @RequestParam(defaultValue = "abs_delta") String sort,
                                           @RequestParam(required = false) String order,
                                           ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.OPS);
        UUID uuid = parse(id);
        boolean csv = exchange.getRequest().getHeaders().getAccept().stream()
                .anyMatch(m -> m.isCompatibleWith(MediaType.parseMediaType("text/csv")) && !m.isWildcardType());
        if (offset < 0 || (limit != null && (limit < 1 || limit > 1000))) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000 and offset at least 0");
        }
        RecalculationStore.Sort by;
        try {
            by = RecalculationStore.Sort.valueOf(sort.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("INVALID_SORT",
                    "sort must be one of abs_delta, delta, before, after, user_id, currency");
        }
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw ProblemException.badRequest("INVALID_SORT", "order must be asc or desc");
        }
        boolean descending = order == null ? by.descendingByDefault : order.equals("desc");
        Integer page = limit == null && !csv ? Integer.valueOf(100) : limit;
        return Blocking.call(() -> {
            RecalculationStore.Row row = found(tenant, uuid);
            if (row.status().equals("running") || row.status().equals("failed") || row.status().equals("cancelled")) {
                throw new ProblemException(HttpStatus.CONFLICT, "RECALCULATION_NOT_READY", "Recalculation not ready",
                        "Recalculation " + uuid + " is " + row.status() + "; its changes are listed once its dry run is"
                                + " ready.");
            }
            List<RecalculationStore.UserChange> changes = service.changes(uuid, by, descending, offset, page);
            if (csv) {
                StringBuilder b = new StringBuilder("user_id,currency,before,after,delta\n");
                for (RecalculationStore.UserChange c : changes) {
                    b.append(csvField(c.userId())).append(',').append(csvField(c.currency())).append(',')
                            .append(c.before()).append(',').append(c.after()).append(',').append(c.after() - c.before())
                            .append('\n');
                }
                return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=UTF-8"))
                        .header("Content-Disposition", "attachment; filename=\"recalculation-" + uuid + "-changes.csv\"")
                        .body(b.toString());
            }
            List<io.laurel.api.UserChange> list = new java.util.ArrayList<>(changes.size());
            for (RecalculationStore.UserChange c : changes) {
                list.add(new io.laurel.api.UserChange(c.userId(), c.currency(), c.before(), c.after(), c.after() - c.before()));
            }
            var out = new io.laurel.api.UserChanges(uuid.toString(), row.usersChanged() == 0 ? 0
                    : service.countChanges(uuid), list);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(out);
        });
    }

    @PostMapping("/v1/ops/recalculations/{id}/apply")
    public Mono<ResponseEntity<io.laurel.api.Recalculation>> apply(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.OPS);
        UUID uuid = parse(id);
        return Blocking.call(() -> {
            found(tenant, uuid);
            try {
                return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(service.apply(tenant, uuid)));
            } catch (RecalculationService.StaleException e) {
                throw new ProblemException(HttpStatus.CONFLICT, "RECALCULATION_STALE", "Recalculation stale",
                        "Recalculation " + uuid + " is stale: " + e.getMessage());
            } catch (RecalculationService.WrongStatusException e) {
                throw new ProblemException(HttpStatus.CONFLICT, "RECALCULATION_NOT_READY", "Recalculation not ready",
                        e.getMessage());
            }
        });
    }

    @DeleteMapping("/v1/ops/recalculations/{id}")
    public Mono<io.laurel.api.Recalculation> discard(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.OPS);
        UUID uuid = parse(id);
        return Blocking.call(() -> {
            found(tenant, uuid);
            try {
                return view(service.discard(tenant, uuid));
            } catch (RecalculationService.WrongStatusException e) {
                throw new ProblemException(HttpStatus.CONFLICT, "RECALCULATION_APPLIED", "Recalculation applied",
                        e.getMessage());
            }
        });
    }

    private RecalculationStore.Row found(String tenant, UUID id) throws java.sql.SQLException {
        return service.find(tenant, id).orElseThrow(() -> notFound(id.toString()));
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("RECALCULATION_NOT_FOUND", "No recalculation " + id + " in this tenant.");
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    /** A pointer per event type the tenant cannot recalculate: a system type, or one it has not declared. */
    List<FieldError> unknownTypes(String tenant, RecalculationRequest request) {
        List<FieldError> errors = new ArrayList<>();
        List<String> types = request.eventTypes() == null ? List.of() : request.eventTypes();
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i);
            if (t == null || t.isBlank()) {
                continue; // answered already: not a string, or empty
            }
            if (SystemTypes.isSystem(t)) {
                errors.add(new FieldError("/event_types/" + i, "'" + t + "' is a system type: it is not rule-scored"));
            } else if (catalog.eventType(tenant, t).isEmpty()) {
                errors.add(new FieldError("/event_types/" + i, "no event type '" + t + "' in this tenant"));
            }
        }
        return errors;
    }

    /** The window a valid request asks for. */
    static Recalculator.Window window(RecalculationRequest request) {
        return new Recalculator.Window(request.from(), request.to(),
                request.eventTypes() == null ? null : new LinkedHashSet<>(request.eventTypes()),
                request.userIds() == null ? null : new LinkedHashSet<>(request.userIds()));
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<List<io.laurel.api.CurrencyTotal>> TOTALS =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    private io.laurel.api.Recalculation view(RecalculationStore.Row row) {
        RecalculationService.Live live = service.live(row.id());
        long total = live != null ? live.recordsTotal : row.recordsTotal();
        long read = live != null ? live.recordsRead : row.recordsRead();
        long scanned = live != null && row.status().equals("running") ? live.eventsScanned : row.eventsScanned();
        Double progress;
        Long eta;
        Double rate = live == null ? null : live.rate.perSecond();
        switch (row.status()) {
            case "running" -> {
                progress = total == 0 ? Double.valueOf(0.0) : Double.valueOf(Math.min(1.0, (double) read / total));
                eta = live == null ? null : live.rate.etaSeconds(total - read);
            }
            case "applying" -> {
                long done = live != null ? live.recordsRead : row.entriesApplied();
                progress = row.eventsChanged() == 0 ? Double.valueOf(1.0)
                        : Double.valueOf(Math.min(1.0, (double) done / row.eventsChanged()));
                eta = live == null ? null : live.rate.etaSeconds(row.eventsChanged() - done);
            }
            case "ready", "applied" -> {
                progress = 1.0;
                eta = 0L;
            }
            default -> {
                progress = null;
                eta = null;
            }
        }
        List<io.laurel.api.CurrencyTotal> totals;
        try {
            totals = row.totals() == null ? List.of() : LaurelJson.mapper().readValue(row.totals(), TOTALS);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new io.laurel.api.Recalculation(row.id().toString(), row.status(), row.from(), row.to(),
                row.eventTypes() == null ? null : List.copyOf(row.eventTypes()),
                row.userIds() == null ? null : List.copyOf(row.userIds()), scanned,
                progress == null ? null : Math.round(progress * 10_000) / 10_000.0, eta,
                rate == null ? null : Math.round(rate), total, row.usersChanged(), row.entriesChanged(),
                row.eventsChanged(), row.status().equals("applied") ? row.eventsChanged() : row.entriesApplied(), totals,
                row.createdAt(), row.finishedAt(), row.appliedAt(), row.error());
    }

    /** A CSV field; one a spreadsheet would take for a formula is quoted and starts with an apostrophe. */
    static String csvField(String s) {
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "\"'" + s.replace("\"", "\"\"") + '"';
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
