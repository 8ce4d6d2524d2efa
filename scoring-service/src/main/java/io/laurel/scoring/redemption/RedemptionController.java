package io.laurel.scoring.redemption;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.Ids;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Bodies;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Redemptions: {@code POST /v1/redemptions} spends points at once ({@code completed}) or, with
 * {@code "hold": true}, reserves them until {@code /confirm} or {@code /release} (or the hold timeout).
 * Decided by the user's wallet aggregate, so concurrent requests never overdraw.
 */
@RestController
public class RedemptionController {
    private static final long MAX_BODY = 16 * 1024;
    private static final Pattern CURRENCY = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    private static final long MAX_HOLD_SECONDS = 7 * 24 * 3600;

    private final Redemptions redemptions;
    private final WalletView view;
    private final LaurelProperties props;

    public RedemptionController(Redemptions redemptions, WalletView view, LaurelProperties props) {
        this.redemptions = redemptions;
        this.view = view;
        this.props = props;
    }

    private record Request(String userId, long points, String currency, String description, String idempotencyKey,
                           boolean hold, Duration holdFor) {
    }

    @PostMapping("/v1/redemptions")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = io.laurel.api.RedemptionRequest.class)))
    public Mono<ResponseEntity<io.laurel.api.Redemption>> redeem(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_WRITE);
        return Bodies.json(exchange, MAX_BODY).flatMap(body -> {
            Request req = parse(body);
            String id = req.idempotencyKey() == null ? Ids.timeOrdered().toString()
                    : Ids.derived(tenant, "redemption", req.idempotencyKey()).toString();
            return Blocking.call(() -> {
                var earlier = view.find(tenant, id);
                if (earlier.isEmpty()) {
                    redemptions.redeem(tenant, req.userId(), req.currency(), id, req.points(), req.description(),
                            req.hold() ? Instant.now().plus(req.holdFor()) : null);
                } else {
                    WalletView.Redemption r = earlier.get();
                    if (!r.userId().equals(req.userId()) || r.points() != req.points() || !r.currency().equals(req.currency())) {
                        throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED",
                                "Idempotency key reused", "This idempotency_key was used for another redemption ("
                                + r.points() + " " + r.currency() + " of user " + r.userId() + ").");
                    }
                }
                // the view is updated in the deciding transaction: it has the redemption now
                WalletView.Redemption r = view.find(tenant, id).orElseThrow();
                return ResponseEntity.status(HttpStatus.CREATED).body(view(r));
            });
        });
    }

    @GetMapping("/v1/redemptions/{id}")
    public Mono<io.laurel.api.Redemption> get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_READ);
        return Blocking.call(() -> view(find(tenant, id)));
    }

    @PostMapping("/v1/redemptions/{id}/confirm")
    public Mono<io.laurel.api.Redemption> confirm(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_WRITE);
        return Blocking.call(() -> {
            redemptions.confirm(find(tenant, id));
            return view(find(tenant, id));
        });
    }

    @PostMapping("/v1/redemptions/{id}/release")
    public Mono<io.laurel.api.Redemption> release(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_WRITE);
        return Blocking.call(() -> {
            redemptions.release(find(tenant, id), "released");
            return view(find(tenant, id));
        });
    }

    @GetMapping("/v1/users/{userId}/redemptions")
    public Mono<io.laurel.api.Redemptions> ofUser(@PathVariable String userId,
                                                  @RequestParam(defaultValue = "100") int limit, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_READ);
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 1000");
        }
        return Blocking.call(() -> new io.laurel.api.Redemptions(
                view.ofUser(tenant, userId, limit).stream().map(RedemptionController::view).toList()));
    }

    private WalletView.Redemption find(String tenant, String id) {
        return view.find(tenant, id).orElseThrow(() -> ProblemException.notFound("REDEMPTION_NOT_FOUND",
                "No redemption " + id + "."));
    }

    private Request parse(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw ProblemException.invalid("A redemption is a JSON object.", List.of(new FieldError("", "expected an object")));
        }
        JsonNode u = body.get("user_id");
        String userId = u == null || u.isNull() ? null : u.isTextual() || u.isIntegralNumber() ? u.asText() : null;
        if (userId == null || userId.isBlank() || userId.length() > 200 || userId.contains("/")) {
            errors.add(new FieldError("/user_id", "is required: a string of 1 to 200 characters without '/'"));
        }
        JsonNode p = body.get("points");
        long points = 0;
        if (p == null || !p.isIntegralNumber() || !p.canConvertToLong() || p.asLong() < 1) {
            errors.add(new FieldError("/points", "is required: a whole number of at least 1"));
        } else {
            points = p.asLong();
        }
        JsonNode c = body.get("currency");
        String currency = c == null || c.isNull() ? "points" : c.isTextual() ? c.asText() : "";
        if (!CURRENCY.matcher(currency).matches()) {
            errors.add(new FieldError("/currency", "must be lower-case letters, digits, '_' or '-', starting with a letter"));
        }
        String description = text(body, "description", 1000, errors);
        String key = text(body, "idempotency_key", 200, errors);
        JsonNode h = body.get("hold");
        if (h != null && !h.isNull() && !h.isBoolean()) {
            errors.add(new FieldError("/hold", "must be true or false"));
        }
        boolean hold = h != null && h.asBoolean(false);
        Duration holdFor = props.getRedemptions().getHoldTimeout();
        JsonNode hs = body.get("hold_seconds");
        if (hs != null && !hs.isNull()) {
            if (!hs.isIntegralNumber() || hs.asLong() < 1 || hs.asLong() > MAX_HOLD_SECONDS) {
                errors.add(new FieldError("/hold_seconds", "must be a whole number from 1 to " + MAX_HOLD_SECONDS));
            } else if (!hold) {
                errors.add(new FieldError("/hold_seconds", "applies only with \"hold\": true"));
            } else {
                holdFor = Duration.ofSeconds(hs.asLong());
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid redemption.", errors);
        }
        return new Request(userId, points, currency, description, key, hold, holdFor);
    }

    private static String text(JsonNode body, String field, int max, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > max) {
            errors.add(new FieldError("/" + field, "must be a string of 1 to " + max + " characters"));
            return null;
        }
        return v.asText();
    }

    static io.laurel.api.Redemption view(WalletView.Redemption r) {
        return new io.laurel.api.Redemption(r.id(), r.userId(), r.points(), r.currency(), r.description(), r.status(),
                r.createdAt(), r.updatedAt(), RedemptionStatus.HELD.equals(r.status()) ? r.expiresAt() : null,
                r.releaseReason());
    }
}
