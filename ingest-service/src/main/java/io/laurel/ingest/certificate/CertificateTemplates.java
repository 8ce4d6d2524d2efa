package io.laurel.ingest.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.api.CertificateTemplateRequest;
import io.laurel.events.catalog.CertificateTemplateDefinition;
import io.laurel.events.certificate.CertificateTemplate;
import io.laurel.runtime.web.ProblemException.FieldError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A certificate template's declared form: checked here, stored as the body of its catalog definition. */
public final class CertificateTemplates {
    public static final String KIND = CertificateTemplateDefinition.KIND;

    private CertificateTemplates() {
    }

    /** What is wrong with the template, each at {@code /template}: unknown variables, unclosed slots, not SVG. */
    static List<FieldError> problems(CertificateTemplateRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.template() != null) {
            for (String problem : CertificateTemplate.check(request.template())) {
                errors.add(new FieldError("/template", problem));
            }
        }
        return errors;
    }

    /** The body the catalog aggregate keeps. */
    static ObjectNode body(String id, CertificateTemplateRequest request) {
        return JsonNodeFactory.instance.objectNode()
                .put("name", request.name() == null ? id : request.name())
                .put("format", request.format())
                .put("template", request.template());
    }

    public static CertificateTemplateDefinition toDefinition(String tenant, String id, JsonNode body, boolean active,
                                                             int version, Instant createdAt, Instant at) {
        return new CertificateTemplateDefinition(tenant, id, body.path("name").asText(id),
                body.path("format").asText(CertificateTemplateDefinition.SVG), body.path("template").asText(""), active,
                version, createdAt, at);
    }
}
