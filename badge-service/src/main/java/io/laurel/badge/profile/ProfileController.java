package io.laurel.badge.profile;

import io.laurel.badge.award.BadgeProjection;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.json.IsoInstants;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.ProblemException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code GET /v1/profiles/{uuid}}: a user's public profile, without a key: the obscured id and the badges held. */
@RestController
public class ProfileController {
    private final Profiles profiles;
    private final DatabaseClient db;
    private final ProjectionManager projections;
    private final CatalogView catalog;
    private final io.laurel.runtime.users.DisplayNames displayNames;

    public ProfileController(Profiles profiles, DatabaseClient db, ProjectionManager projections, CatalogView catalog,
                             io.laurel.runtime.users.DisplayNames displayNames) {
        this.displayNames = displayNames;
        this.profiles = profiles;
        this.db = db;
        this.projections = projections;
        this.catalog = catalog;
    }

    @GetMapping("/v1/profiles/{uuid}")
    public Mono<io.laurel.api.PublicProfile> profile(@PathVariable String uuid) {
        UUID id;
        try {
            id = UUID.fromString(uuid);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("PROFILE_NOT_FOUND", "No profile '" + uuid + "'.");
        }
        String s = projections.liveSchema(BadgeProjection.NAME);
        return Blocking.call(() -> profiles.owner(id).orElseThrow(() ->
                        ProblemException.notFound("PROFILE_NOT_FOUND", "No profile '" + uuid + "'.")))
                .flatMap(owner -> db.sql("SELECT badge_id, count(*), min(awarded_at) FROM " + s + ".awards"
                                + " WHERE tenant = $1 AND user_id = $2 AND (expires_at IS NULL OR expires_at > now())"
                                + " GROUP BY badge_id ORDER BY min(awarded_at), badge_id")
                        .bind(0, owner.tenant()).bind(1, owner.userId())
                        .map(row -> {
                            String badgeId = row.get(0, String.class);
                            BadgeDefinition b = catalog.badge(owner.tenant(), badgeId).orElse(null);
                            return new io.laurel.api.ProfileBadge(badgeId, b == null ? badgeId : b.name(),
                                    b == null ? null : b.imageUrl(), row.get(2, OffsetDateTime.class).toInstant(),
                                    row.get(1, Long.class));
                        })
                        .all().collectList()
                        .zipWith(Blocking.call(() -> displayNames.get(owner.tenant(), owner.userId())))
                        .map(t -> new io.laurel.api.PublicProfile(uuid, Profiles.obscure(owner.userId()), t.getT1(),
                                t.getT2().orElse(null))));
    }

    /**
     * Sets the name the user goes by ({@code null} clears it): public profiles, leaderboard entries, the dashboard
     * and certificates show it instead of the id.
     */
    @org.springframework.web.bind.annotation.PutMapping("/v1/users/{userId}/profile")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @io.swagger.v3.oas.annotations.media
            .Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(
            implementation = io.laurel.api.ProfileUpdate.class)))
    public Mono<io.laurel.api.UserProfile> update(@PathVariable String userId,
                                                  org.springframework.web.server.ServerWebExchange exchange) {
        String tenant = io.laurel.runtime.web.Caller.of(exchange).require(io.laurel.runtime.web.Scope.BADGES_WRITE);
        return io.laurel.runtime.web.RequestBinder.body(exchange, 4096, io.laurel.api.ProfileUpdate.class, "profile")
                .flatMap(request -> Blocking.call(() -> {
                    displayNames.set(tenant, userId, request.displayName());
                    return new io.laurel.api.UserProfile(userId, request.displayName(),
                            profiles.uuidOf(tenant, userId).toString());
                }));
    }

    @GetMapping("/v1/users/{userId}/profile")
    public Mono<io.laurel.api.UserProfile> get(@PathVariable String userId,
                                               org.springframework.web.server.ServerWebExchange exchange) {
        String tenant = io.laurel.runtime.web.Caller.of(exchange).require(io.laurel.runtime.web.Scope.BADGES_READ);
        return Blocking.call(() -> new io.laurel.api.UserProfile(userId, displayNames.get(tenant, userId).orElse(null),
                profiles.uuidOf(tenant, userId).toString()));
    }
}
