package io.laurel.badge.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.badge.award.BadgeProjection;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.catalog.CertificateTemplateDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.certificate.CertificateTemplate;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.users.DisplayNames;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.ProblemException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v1/certificates/{award_id}} (no key, as a link in a learner's profile is opened): the award rendered
 * with its badge's certificate template ({@code certificate_template}), or the platform's own when the badge names
 * none, as SVG or PDF. {@code {{user_name}}} is the user's display name, else the awarding event's
 * {@code event_data.user_name}, else the user id; every value is escaped for the document.
 */
@RestController
public class CertificateController {
    /** The platform's template, for badges that name none. */
    static final String DEFAULT_TEMPLATE = """
            <svg xmlns="http://www.w3.org/2000/svg" width="1123" height="794" viewBox="0 0 1123 794">
              <rect x="20" y="20" width="1083" height="754" fill="#fffdf7" stroke="#b08d2f" stroke-width="6"/>
              <text x="561" y="170" font-family="Georgia, serif" font-size="54" text-anchor="middle" fill="#3b3024">Certificate</text>
              <text x="561" y="260" font-family="Georgia, serif" font-size="24" text-anchor="middle" fill="#5b5044">awarded to</text>
              <text x="561" y="340" font-family="Georgia, serif" font-size="44" text-anchor="middle" fill="#1d2330">{{user_name}}</text>
              <text x="561" y="420" font-family="Georgia, serif" font-size="24" text-anchor="middle" fill="#5b5044">for earning the badge</text>
              <text x="561" y="490" font-family="Georgia, serif" font-size="40" text-anchor="middle" fill="#1d2330">{{badge_name}}</text>
              <text x="561" y="580" font-family="Georgia, serif" font-size="22" text-anchor="middle" fill="#5b5044">{{issuer}} · {{date}}</text>
            </svg>
            """;
    private static final MediaType SVG = MediaType.parseMediaType("image/svg+xml");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    private final CatalogView catalog;
    private final ProjectionManager projections;
    private final DisplayNames displayNames;
    private final JdbcTemplate jdbc;

    public CertificateController(CatalogView catalog, ProjectionManager projections, DisplayNames displayNames,
                                 DataSource dataSource) {
        this.catalog = catalog;
        this.projections = projections;
        this.displayNames = displayNames;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** An award as its certificate needs it. */
    record Award(String awardId, String tenant, String userId, String badgeId, Instant awardedAt, JsonNode eventData) {
    }

    /** A certificate rendered: the document and its media type. */
    record Document(byte[] bytes, MediaType type) {
    }

    @GetMapping("/v1/certificates/{awardId}")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The certificate",
            content = {@io.swagger.v3.oas.annotations.media.Content(mediaType = "image/svg+xml"),
                    @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/pdf")})
    public Mono<ResponseEntity<byte[]>> certificate(@PathVariable String awardId) {
        return Blocking.call(() -> {
            Award award = find(awardId).orElseThrow(() -> notFound(awardId));
            Document doc = render(award);
            return ResponseEntity.ok().contentType(doc.type())
                    .cacheControl(CacheControl.noCache())
                    // a template is an SVG written by a tenant admin: shown, never run
                    .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
                    .header("X-Content-Type-Options", "nosniff")
                    .body(doc.bytes());
        });
    }

    Optional<Award> find(String awardId) {
        try {
            UUID.fromString(awardId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbc.query("SELECT award_id, tenant, user_id, badge_id, awarded_at, event_data::text FROM "
                        + projections.liveSchema(BadgeProjection.NAME) + ".awards WHERE award_id = ?",
                (rs, n) -> new Award(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), json(rs.getString(6))), awardId).stream().findFirst();
    }

    Document render(Award a) throws Exception {
        BadgeDefinition badge = catalog.badge(a.tenant(), a.badgeId()).orElse(null);
        CertificateTemplateDefinition template = badge == null || badge.certificateTemplate() == null ? null
                : catalog.certificateTemplate(a.tenant(), badge.certificateTemplate())
                .filter(CertificateTemplateDefinition::active).orElse(null);
        String source = template == null ? DEFAULT_TEMPLATE : template.template();
        String badgeName = badge == null ? a.badgeId() : badge.name();
        String issuer = catalog.tenant(a.tenant()).map(TenantDefinition::name).orElse(a.tenant());
        java.time.ZoneId zone = catalog.tenant(a.tenant()).map(TenantDefinition::zone).orElse(ZoneOffset.UTC);
        String userName = displayNames.get(a.tenant(), a.userId())
                .or(() -> text(a.eventData(), "user_name"))
                .orElse(a.userId());
        String svg = CertificateTemplate.parse(source).render(name -> switch (name) {
            case "user_id" -> a.userId();
            case "user_name" -> userName;
            case "badge_name" -> badgeName;
            case "date" -> DATE.format(a.awardedAt().atZone(zone));
            case "issuer" -> issuer;
            default -> name.startsWith("event.") ? text(a.eventData(), name.substring(6)).orElse("") : "";
        });
        if (template != null && CertificateTemplateDefinition.PDF.equals(template.format())) {
            return new Document(PdfCertificates.render(svg, badgeName + " — " + userName), MediaType.APPLICATION_PDF);
        }
        return new Document(svg.getBytes(StandardCharsets.UTF_8), SVG);
    }

    private static Optional<String> text(JsonNode data, String field) {
        if (data == null) {
            return Optional.empty();
        }
        JsonNode v = data.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? Optional.empty() : Optional.of(v.asText());
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : LaurelJson.mapper().readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static ProblemException notFound(String awardId) {
        return ProblemException.notFound("CERTIFICATE_NOT_FOUND", "No award '" + awardId + "'.");
    }
}
