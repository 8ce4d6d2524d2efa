package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * A certificate template: an SVG document with {@code {{variables}}} ({@code user_id}, {@code user_name},
 * {@code badge_name}, {@code date}, {@code issuer}, {@code event.<field>}), rendered per award as SVG or as PDF
 * ({@code format}). A badge names one with {@code certificate_template}.
 */
public record CertificateTemplateDefinition(
        String tenant,
        String id,
        String name,
        String format,
        String template,
        boolean active,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "certificate_template";
    public static final String SVG = "svg";
    public static final String PDF = "pdf";

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }
}
