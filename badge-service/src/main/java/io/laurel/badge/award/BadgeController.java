package io.laurel.badge.award;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.badge.rule.Award;
import io.laurel.events.EventAccepted;
import io.laurel.events.Ids;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.events.json.IsoInstants;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.RequestBinder;
import io.laurel.api.BadgeGrantRequest;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A user's badges, and grants through the API. A grant is an event of the system type {@code badge.granted}
 * on {@code laurel.events}: the badge projection decides it in order with everything else the user did, and
 * it replays with the rest. The answer waits (at most {@link #GRANT_WAIT_SECONDS} s) until the projection has
 * decided.
 */
@RestController
public class BadgeController {
    static final long GRANT_WAIT_SECONDS = 10;
    private static final long MAX_BODY = 4 * 1024;

    private final DatabaseClient db;
    private final ProjectionManager projections;
    private final CatalogView catalog;
    private final io.laurel.runtime.events.SystemEvents systemEvents;
    private final AwardWaiters waiters;
    private final io.laurel.badge.profile.Profiles profiles;
    private final io.laurel.badge.challenge.ChallengeReads challenges;
    private final io.laurel.badge.feature.FeatureController features;
    private final io.laurel.runtime.users.DisplayNames displayNames;

    public BadgeController(DatabaseClient db, ProjectionManager projections, CatalogView catalog,
                           io.laurel.runtime.events.SystemEvents systemEvents, AwardWaiters waiters,
                           io.laurel.badge.profile.Profiles profiles, io.laurel.badge.challenge.ChallengeReads challenges,
                           io.laurel.badge.feature.FeatureController features,
                           io.laurel.runtime.users.DisplayNames displayNames) {
        this.challenges = challenges;
        this.features = features;
        this.displayNames = displayNames;
        this.profiles = profiles;
        this.db = db;
        this.projections = projections;
        this.catalog = catalog;
        this.systemEvents = systemEvents;
        this.waiters = waiters;
    }

    /**
     * The badges a user holds: one entry per badge with the latest award's id and time and {@code count}, how
     * many times it was awarded (expired awards left out).
     */
    @GetMapping("/v1/users/{userId}/badges")
    public Mono<io.laurel.api.UserBadges> badges(@PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        String s = projections.liveSchema(BadgeProjection.NAME);
        Mono<java.util.UUID> profile = Blocking.call(() -> profiles.uuidOf(tenant, userId));
        return db.sql("SELECT badge_id, count(*), max(awarded_at), (array_agg(award_id ORDER BY nth DESC))[1],"
                        + " max(expires_at), bool_or(expires_at IS NULL) FROM " + s + ".awards"
                        + " WHERE tenant = $1 AND user_id = $2 AND (expires_at IS NULL OR expires_at > now())"
                        + " GROUP BY badge_id ORDER BY max(awarded_at) DESC, badge_id")
                .bind(0, tenant).bind(1, userId)
                .map(row -> {
                    String badgeId = row.get(0, String.class);
                    BadgeDefinition b = catalog.badge(tenant, badgeId).orElse(null);
                    Boolean permanent = row.get(5, Boolean.class);
                    OffsetDateTime expires = row.get(4, OffsetDateTime.class);
                    return new io.laurel.api.UserBadge(row.get(3, String.class), badgeId, b == null ? badgeId : b.name(),
                            b == null ? null : b.description(), b == null ? null : b.imageUrl(),
                            row.get(2, OffsetDateTime.class).toInstant(), row.get(1, Long.class),
                            Boolean.TRUE.equals(permanent) || expires == null ? null : expires.toInstant());
                })
                .all().collectList()
                .zipWith(profile)
                .map(t -> new io.laurel.api.UserBadges(userId, t.getT2().toString(), t.getT1()));
    }

    /**
     * The user's level in each level set: points earned in its currency, the level reached (null below the
     * first), and the next level with the points still missing.
     */
    @GetMapping("/v1/users/{userId}/levels")
    public Mono<io.laurel.api.UserLevels> levels(@PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        String s = projections.liveSchema(BadgeProjection.NAME);
        return db.sql("SELECT badge_id, value FROM " + s + ".badge_progress WHERE tenant = $1 AND user_id = $2"
                        + " AND badge_id LIKE 'level:%'")
                .bind(0, tenant).bind(1, userId)
                .map(row -> Map.entry(row.get(0, String.class), row.get(1, Long.class)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(points -> {
                    List<io.laurel.api.LevelStanding> sets = new ArrayList<>();
                    for (io.laurel.events.catalog.LevelDefinition set : catalog.levels(tenant)) {
                        long p = points.getOrDefault(io.laurel.badge.rule.BadgeEngine.levelKey(set.id()), 0L);
                        var level = set.levelAt(p).orElse(null);
                        var next = set.next(level).orElse(null);
                        sets.add(new io.laurel.api.LevelStanding(set.id(), set.name(), set.currency(), p,
                                level == null ? null : new io.laurel.api.Level(level.number(), level.name(),
                                        level.threshold(), null, null),
                                next == null ? null : new io.laurel.api.Level(next.number(), next.name(), next.threshold(),
                                        next.threshold() - p, null)));
                    }
                    return new io.laurel.api.UserLevels(userId, sets);
                });
    }

    /**
     * The user summary (what GMFY's get_users returns): the public profile id, the points earned per currency
     * (as the badge service folds the journal: redemptions do not lower them), the level in each level set, the
     * badges held, the progress in each active challenge, the features unlocked and the display name.
     */
    @GetMapping("/v1/users/{userId}")
    public Mono<io.laurel.api.UserSummary> summary(@PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        String s = projections.liveSchema(BadgeProjection.NAME);
        Mono<List<io.laurel.api.EarnedPoints>> points = db.sql("SELECT substr(badge_id, 8), value FROM " + s + ".badge_progress"
                        + " WHERE tenant = $1 AND user_id = $2 AND badge_id LIKE 'points:%' ORDER BY badge_id")
                .bind(0, tenant).bind(1, userId)
                .map(row -> new io.laurel.api.EarnedPoints(row.get(0, String.class), row.get(1, Long.class)))
                .all().collectList();
        Mono<List<io.laurel.api.UserFeature>> unlocked = io.laurel.runtime.web.Blocking.call(() ->
                features.featuresOf(tenant, userId));
        Mono<java.util.Optional<String>> name = io.laurel.runtime.web.Blocking.call(() ->
                displayNames.get(tenant, userId));
        return Mono.zip(badges(userId, exchange), levels(userId, exchange), points,
                challenges.challengesOf(tenant, userId), unlocked, name).map(t -> {
            List<io.laurel.api.LevelStanding> sets = t.getT2().levels();
            // the level in the tenant's first level set (by id), with the set's id: the one a profile shows
            io.laurel.api.Level level = null;
            if (!sets.isEmpty() && sets.get(0).level() != null) {
                io.laurel.api.Level l = sets.get(0).level();
                level = new io.laurel.api.Level(l.number(), l.name(), l.threshold(), null, sets.get(0).levelSet());
            }
            return new io.laurel.api.UserSummary(userId, t.getT1().profileUuid(), t.getT3(), level, sets,
                    t.getT1().badges(), t.getT4(), t.getT5(), t.getT6().orElse(null));
        });
    }

    /** Grants a badge: 201 {@code {"badge_earned": true, "award_id"}}, or 200 {@code {"badge_earned": false}}. */
    @PostMapping("/v1/badges/{badgeId}/grants")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = BadgeGrantRequest.class)))
    public Mono<ResponseEntity<io.laurel.api.BadgeGrant>> grant(@PathVariable String badgeId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, BadgeGrantRequest.class, "grant").flatMap(request -> {
            String userId = request.userId();
            BadgeDefinition badge = catalog.badge(tenant, badgeId).filter(BadgeDefinition::active).orElseThrow(() ->
                    ProblemException.notFound("BADGE_NOT_FOUND", "No badge '" + badgeId + "' in this tenant."));
            String id = Ids.timeOrdered().toString();
            Instant now = Instant.now();
            EventAccepted event = systemEvents.event(id, tenant, SystemTypes.BADGE_GRANTED, userId,
                    JsonNodeFactory.instance.objectNode().put("badge_id", badge.id()), now, null);
            var decided = waiters.register(id);
            return Blocking.call(() -> {
                try {
                    append(event);
                    List<Award> awards = decided.get(GRANT_WAIT_SECONDS, TimeUnit.SECONDS);
                    if (!awards.isEmpty()) {
                        return ResponseEntity.status(HttpStatus.CREATED).body(new io.laurel.api.BadgeGrant(true,
                                badge.id(), userId, awards.get(0).awardId(), awards.get(0).nth()));
                    }
                    return ResponseEntity.ok(new io.laurel.api.BadgeGrant(false, badge.id(), userId, null, null));
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "BADGES_DELAYED", "Badges delayed",
                            "The grant was recorded (event " + id + ") but the badge service has not decided it within "
                                    + GRANT_WAIT_SECONDS + " s; GET /v1/users/{id}/badges shows it once it has.",
                            List.of(), Map.of(HttpHeaders.RETRY_AFTER, "5"));
                } finally {
                    waiters.forget(id);
                }
            });
        });
    }

    private void append(EventAccepted event) {
        systemEvents.append(event, "grant");
    }
}
