package io.laurel.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /v1/admin/certificate-templates} ({@code id} required) and {@code PUT …/{id}}: an SVG document with
 * {@code {{variables}}} ({@code user_id}, {@code user_name}, {@code badge_name}, {@code date}, {@code issuer},
 * {@code event.<field>}), answered as SVG or rendered to PDF ({@code format}).
 */
public record CertificateTemplateRequest(
        @Pattern(regexp = Ids.DEFINITION_ID, message = Ids.DEFINITION_ID_MESSAGE) String id,
        @Size(min = 1, max = 200, message = "must be a string of 1 to 200 characters") String name,
        @NotNull(message = FORMAT) @Pattern(regexp = "svg|pdf", message = FORMAT) String format,
        @NotNull(message = "is required: an SVG document with {{variables}}") String template) {
    private static final String FORMAT = "is required: svg or pdf";
}
