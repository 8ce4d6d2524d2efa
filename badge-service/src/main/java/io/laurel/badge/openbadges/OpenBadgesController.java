package io.laurel.badge.openbadges;

import io.laurel.badge.award.BadgeProjection;
import io.laurel.badge.profile.Profiles;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.json.IsoInstants;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.ProblemException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Open Badges 2.0 with hosted verification, without a key: every award is an Assertion, every badge a
 * BadgeClass, every tenant an Issuer, each JSON-LD at a stable URL under {@code /v1/openbadges/}, so an earned
 * badge can be imported into a backpack. The recipient is a salted SHA-256 of the user id (typed {@code email}
 * when it looks like one). A certificate of an award is an SVG rendered from a template.
 */
@RestController
public class OpenBadgesController {
    static final String CONTEXT = "https://w3id.org/openbadges/v2";
    private static final MediaType JSON_LD = MediaType.parseMediaType("application/ld+json");

    private final DatabaseClient db;
    private final ProjectionManager projections;
    private final CatalogView catalog;

    public OpenBadgesController(DatabaseClient db, ProjectionManager projections, CatalogView catalog) {
        this.db = db;
        this.projections = projections;
        this.catalog = catalog;
    }

    private record AwardRow(String awardId, String tenant, String userId, String badgeId, OffsetDateTime awardedAt,
                            OffsetDateTime expiresAt) {
    }

    private Mono<AwardRow> award(String awardId) {
        String s = projections.liveSchema(BadgeProjection.NAME);
        return db.sql("SELECT award_id, tenant, user_id, badge_id, awarded_at, expires_at FROM " + s + ".awards"
                        + " WHERE award_id = $1")
                .bind(0, awardId)
                .map(row -> new AwardRow(row.get(0, String.class), row.get(1, String.class), row.get(2, String.class),
                        row.get(3, String.class), row.get(4, OffsetDateTime.class), row.get(5, OffsetDateTime.class)))
                .one()
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("ASSERTION_NOT_FOUND",
                        "No award '" + awardId + "'.")));
    }

    @GetMapping("/v1/openbadges/assertions/{awardId}")
    public Mono<ResponseEntity<OpenBadges.Assertion>> assertion(@PathVariable String awardId, ServerWebExchange exchange) {
        String base = base(exchange);
        return award(awardId).map(a -> {
            String salt = salt(a.awardId());
            var recipient = new OpenBadges.Recipient(a.userId().contains("@") ? "email" : "id", true, salt,
                    "sha256$" + sha256(a.userId() + salt));
            var m = new OpenBadges.Assertion(CONTEXT, "Assertion", base + "/v1/openbadges/assertions/" + a.awardId(),
                    recipient, base + "/v1/openbadges/badges/" + a.tenant() + "/" + a.badgeId(),
                    new OpenBadges.Verification("hosted"), IsoInstants.format(a.awardedAt().toInstant()),
                    a.expiresAt() == null ? null : IsoInstants.format(a.expiresAt().toInstant()));
            return ResponseEntity.ok().contentType(JSON_LD).body(m);
        });
    }

    @GetMapping("/v1/openbadges/badges/{tenant}/{badgeId}")
    public ResponseEntity<OpenBadges.BadgeClass> badgeClass(@PathVariable String tenant, @PathVariable String badgeId,
                                                          ServerWebExchange exchange) {
        BadgeDefinition b = catalog.badge(tenant, badgeId).orElseThrow(() -> ProblemException.notFound(
                "BADGE_CLASS_NOT_FOUND", "No badge '" + badgeId + "' of issuer '" + tenant + "'."));
        String base = base(exchange);
        var m = new OpenBadges.BadgeClass(CONTEXT, "BadgeClass", base + "/v1/openbadges/badges/" + tenant + "/" + badgeId,
                b.name(), b.description() == null ? b.name() : b.description(), b.imageUrl(),
                new OpenBadges.Criteria(criteria(b)), base + "/v1/openbadges/issuers/" + tenant);
        return ResponseEntity.ok().contentType(JSON_LD).body(m);
    }

    @GetMapping("/v1/openbadges/issuers/{tenant}")
    public ResponseEntity<OpenBadges.Issuer> issuer(@PathVariable String tenant, ServerWebExchange exchange) {
        TenantDefinition t = catalog.tenant(tenant).orElseThrow(() -> ProblemException.notFound("ISSUER_NOT_FOUND",
                "No issuer '" + tenant + "'."));
        String base = base(exchange);
        var m = new OpenBadges.Issuer(CONTEXT, "Issuer", base + "/v1/openbadges/issuers/" + tenant,
                t.name() == null ? tenant : t.name(), base);
        return ResponseEntity.ok().contentType(JSON_LD).body(m);
    }

    /** A certificate of the award: an SVG with the recipient (obscured when email-like), the badge and the date. */
    @GetMapping(path = "/v1/openbadges/assertions/{awardId}/certificate.svg")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The certificate, an SVG",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "image/svg+xml"))
    public Mono<ResponseEntity<byte[]>> certificate(@PathVariable String awardId) {
        return award(awardId).map(a -> {
            String badge = catalog.badge(a.tenant(), a.badgeId()).map(BadgeDefinition::name).orElse(a.badgeId());
            String issuer = catalog.tenant(a.tenant()).map(TenantDefinition::name).orElse(a.tenant());
            String date = a.awardedAt().withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                    "d MMMM yyyy", java.util.Locale.ENGLISH));
            String svg = """
                    <svg xmlns="http://www.w3.org/2000/svg" width="1123" height="794" viewBox="0 0 1123 794">
                      <rect x="20" y="20" width="1083" height="754" fill="#fffdf7" stroke="#b08d2f" stroke-width="6"/>
                      <text x="561" y="170" font-family="Georgia, serif" font-size="54" text-anchor="middle" fill="#3b3024">Certificate</text>
                      <text x="561" y="260" font-family="Georgia, serif" font-size="24" text-anchor="middle" fill="#5b5044">awarded to</text>
                      <text x="561" y="340" font-family="Georgia, serif" font-size="44" text-anchor="middle" fill="#1d2330">%s</text>
                      <text x="561" y="420" font-family="Georgia, serif" font-size="24" text-anchor="middle" fill="#5b5044">for earning the badge</text>
                      <text x="561" y="490" font-family="Georgia, serif" font-size="40" text-anchor="middle" fill="#1d2330">%s</text>
                      <text x="561" y="580" font-family="Georgia, serif" font-size="22" text-anchor="middle" fill="#5b5044">%s · %s</text>
                      <text x="561" y="720" font-family="monospace" font-size="14" text-anchor="middle" fill="#8a8070">verify: /v1/openbadges/assertions/%s</text>
                    </svg>
                    """.formatted(xml(Profiles.obscure(a.userId())), xml(badge), xml(issuer), xml(date), xml(a.awardId()));
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml"))
                    .body(svg.getBytes(StandardCharsets.UTF_8));
        });
    }

    private static String criteria(BadgeDefinition b) {
        String type = b.eventType() == null ? "" : " '" + b.eventType() + "'";
        return switch (b.badgeKind()) {
            case BadgeDefinition.FIRST -> "The first event" + type + ".";
            case BadgeDefinition.COUNT -> b.threshold() + " events" + type + ".";
            case BadgeDefinition.POINTS -> b.threshold() + " " + b.currency() + " earned.";
            case BadgeDefinition.STREAK -> "Events" + type + " on " + b.threshold() + " consecutive " + b.streakUnit() + "s.";
            case BadgeDefinition.ATTENDANCE -> "Attending a session.";
            default -> "Granted by the issuer.";
        };
    }

    /** The public origin of this request (honouring X-Forwarded-Proto and -Host behind a gateway). */
    static String base(ServerWebExchange exchange) {
        return io.laurel.runtime.web.PublicUrls.base(exchange);
    }

    /** The salt of an award's recipient hash: fixed per award. */
    static String salt(String awardId) {
        return sha256("laurel-recipient-salt:" + awardId).substring(0, 16);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
