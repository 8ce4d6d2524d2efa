package io.laurel.scoring.redemption;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.laurel.events.Ids;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.RequestBinder;
import io.laurel.api.RedemptionRequest;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
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
import java.util.List;

/**
 * Redemptions: {@code POST /v1/redemptions} spends points at once ({@code completed}) or, with
 * {@code "hold": true}, reserves them until {@code /confirm} or {@code /release} (or the hold timeout).
 * Decided by the user's wallet aggregate, so concurrent requests never overdraw.
 */
@RestController
public class RedemptionController {
    private static final long MAX_BODY = 16 * 1024;

    private final Redemptions redemptions;
    private final WalletView view;
    private final LaurelProperties props;

    public RedemptionController(Redemptions redemptions, WalletView view, LaurelProperties props) {
        this.redemptions = redemptions;
        this.view = view;
        this.props = props;
    }

    @PostMapping("/v1/redemptions")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = RedemptionRequest.class)))
    public Mono<ResponseEntity<io.laurel.api.Redemption>> redeem(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.POINTS_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, RedemptionRequest.class, "redemption").flatMap(req -> {
            String currency = req.currency() == null ? "points" : req.currency();
            boolean hold = Boolean.TRUE.equals(req.hold());
            Duration holdFor = req.holdSeconds() == null ? props.getRedemptions().getHoldTimeout()
                    : Duration.ofSeconds(req.holdSeconds());
            String id = req.idempotencyKey() == null ? Ids.timeOrdered().toString()
                    : Ids.derived(tenant, "redemption", req.idempotencyKey()).toString();
            return Blocking.call(() -> {
                var earlier = view.find(tenant, id);
                if (earlier.isEmpty()) {
                    redemptions.redeem(tenant, req.userId(), currency, id, req.points(), req.description(),
                            hold ? Instant.now().plus(holdFor) : null);
                } else {
                    WalletView.Redemption r = earlier.get();
                    if (!r.userId().equals(req.userId()) || r.points() != req.points() || !r.currency().equals(currency)) {
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

    static io.laurel.api.Redemption view(WalletView.Redemption r) {
        return new io.laurel.api.Redemption(r.id(), r.userId(), r.points(), r.currency(), r.description(), r.status(),
                r.createdAt(), r.updatedAt(), RedemptionStatus.HELD.equals(r.status()) ? r.expiresAt() : null,
                r.releaseReason());
    }
}
