package io.laurel.badge.feature;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.api.FeatureGrant;
import io.laurel.api.FeatureGrantRequest;
import io.laurel.api.UserFeature;
import io.laurel.api.UserFeatures;
import io.laurel.badge.award.BadgeProjection;
import io.laurel.events.EventAccepted;
import io.laurel.events.Ids;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.FeatureDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.events.SystemEvents;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.RequestBinder;
import io.laurel.runtime.web.Scope;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The features users have unlocked ({@code GET /v1/users/{user_id}/features}) and grants of manual ones
 * ({@code POST /v1/features/{id}/grants}). The badge projection unlocks them as it folds the inputs; a grant is a
 * {@code feature.granted} system event it folds like any other, so a rebuild unlocks the same.
 */
@RestController
public class FeatureController {
    private static final long MAX_BODY = 16 * 1024;
    /** How long a grant waits for the badge projection to fold it before answering 503. */
    static final long GRANT_WAIT_MS = 10_000;

    private final CatalogView catalog;
    private final ProjectionManager projections;
    private final SystemEvents systemEvents;
    private final JdbcTemplate jdbc;

    public FeatureController(CatalogView catalog, ProjectionManager projections, SystemEvents systemEvents,
                             DataSource dataSource) {
        this.catalog = catalog;
        this.projections = projections;
        this.systemEvents = systemEvents;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @GetMapping("/v1/users/{userId}/features")
    public Mono<UserFeatures> features(@PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        return Blocking.call(() -> new UserFeatures(featuresOf(tenant, userId)));
    }

    /** The user's unlocked features, earliest first (blocking). */
    public List<UserFeature> featuresOf(String tenant, String userId) {
        return jdbc.query("SELECT feature_id, unlocked_at FROM " + schema() + ".feature_unlocks WHERE tenant = ?"
                        + " AND user_id = ? ORDER BY unlocked_at, feature_id",
                (rs, n) -> {
                    String id = rs.getString(1);
                    return new UserFeature(id, catalog.feature(tenant, id).map(FeatureDefinition::name).orElse(id),
                            rs.getTimestamp(2).toInstant());
                }, tenant, userId);
    }

    private Optional<Instant> unlockedAt(String tenant, String userId, String featureId) {
        return jdbc.query("SELECT unlocked_at FROM " + schema() + ".feature_unlocks WHERE tenant = ? AND user_id = ?"
                        + " AND feature_id = ?", (rs, n) -> rs.getTimestamp(1).toInstant(), tenant, userId, featureId)
                .stream().findFirst();
    }

    /**
     * Unlocks a manual feature for a user: 201 once it is unlocked, 200 with {@code "unlocked": false} when the user
     * had it already; 409 {@code FEATURE_NOT_MANUAL} for a feature that unlocks by itself.
     */
    @PostMapping("/v1/features/{featureId}/grants")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = FeatureGrantRequest.class)))
    public Mono<ResponseEntity<FeatureGrant>> grant(@PathVariable String featureId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, FeatureGrantRequest.class, "grant").flatMap(request -> {
            FeatureDefinition feature = catalog.feature(tenant, featureId).filter(FeatureDefinition::active).orElseThrow(() ->
                    ProblemException.notFound("FEATURE_NOT_FOUND", "No feature '" + featureId + "' in this tenant."));
            if (!FeatureDefinition.MANUAL.equals(feature.unlock().kind())) {
                throw new ProblemException(HttpStatus.CONFLICT, "FEATURE_NOT_MANUAL", "Feature not manual",
                        "Feature '" + featureId + "' unlocks by " + feature.unlock().kind() + "; only manual features"
                                + " are granted.");
            }
            String userId = request.userId();
            return Blocking.call(() -> {
                Optional<Instant> before = unlockedAt(tenant, userId, featureId);
                if (before.isPresent()) {
                    return ResponseEntity.ok(new FeatureGrant(false, featureId, userId, before.get()));
                }
                String id = Ids.timeOrdered().toString();
                EventAccepted event = systemEvents.event(id, tenant, SystemTypes.FEATURE_GRANTED, userId,
                        JsonNodeFactory.instance.objectNode().put("feature_id", featureId), Instant.now(), null);
                systemEvents.append(event, "feature grant");
                long deadline = System.currentTimeMillis() + GRANT_WAIT_MS;
                while (System.currentTimeMillis() < deadline) {
                    Optional<Instant> at = unlockedAt(tenant, userId, featureId);
                    if (at.isPresent()) {
                        return ResponseEntity.status(HttpStatus.CREATED).body(new FeatureGrant(true, featureId, userId,
                                at.get()));
                    }
                    Thread.sleep(20);
                }
                throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "FEATURES_DELAYED", "Features delayed",
                        "The grant was recorded (event " + id + ") but the badge service has not folded it within "
                                + GRANT_WAIT_MS / 1000 + " s; GET /v1/users/{id}/features shows it once it has.",
                        List.of(), Map.of(HttpHeaders.RETRY_AFTER, "5"));
            });
        });
    }

    private String schema() {
        return projections.liveSchema(BadgeProjection.NAME);
    }
}
