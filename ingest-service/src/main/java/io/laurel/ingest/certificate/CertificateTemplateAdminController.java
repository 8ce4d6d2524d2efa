package io.laurel.ingest.certificate;

import io.laurel.api.CertificateTemplateRequest;
import io.laurel.events.catalog.CertificateTemplateDefinition;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.ingest.definition.DefinitionCommands;
import io.laurel.ingest.definition.DefinitionWrites;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.RequestBinder;
import io.laurel.runtime.web.Scope;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Certificate templates: SVG with {@code {{variables}}}, checked at definition (unknown variables, unclosed slots,
 * not well-formed SVG: 422 with a pointer), decided by their catalog aggregate, published through the catalog topic.
 */
@RestController
public class CertificateTemplateAdminController {
    private static final long MAX_BODY = 512 * 1024;

    private final CatalogView catalog;
    private final DefinitionWrites<CertificateTemplateDefinition> writes;

    public CertificateTemplateAdminController(CatalogView catalog, CatalogWriter writer, DefinitionCommands commands) {
        this.catalog = catalog;
        this.writes = new DefinitionWrites<>(CertificateTemplates.KIND, commands, writer, catalog::certificateTemplate,
                CertificateTemplateDefinition::active);
    }

    @PostMapping("/v1/admin/certificate-templates")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = CertificateTemplateRequest.class)))
    public Mono<ResponseEntity<CertificateTemplateDefinition>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, CertificateTemplateRequest.class, "certificate template",
                r -> r.id() == null ? List.of(new FieldError("/id", "is required: 1 to 63 letters, digits, '_', '.' and"
                        + " '-', starting with a letter or digit")) : CertificateTemplates.problems(r)).flatMap(request ->
                Blocking.call(() -> writes.define(tenant, request.id(), CertificateTemplates.body(request.id(), request)))
                        .map(t -> ResponseEntity.status(HttpStatus.CREATED).body(t)));
    }

    @PutMapping("/v1/admin/certificate-templates/{id}")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = CertificateTemplateRequest.class)))
    public Mono<CertificateTemplateDefinition> update(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, CertificateTemplateRequest.class, "certificate template",
                CertificateTemplates::problems).flatMap(request ->
                Blocking.call(() -> writes.revise(tenant, id, CertificateTemplates.body(id, request))));
    }

    @DeleteMapping("/v1/admin/certificate-templates/{id}")
    public Mono<ResponseEntity<Void>> retire(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Blocking.call(() -> {
            writes.retire(tenant, id);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping("/v1/admin/certificate-templates")
    public TemplateList list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return new TemplateList(catalog.certificateTemplates(tenant));
    }

    @GetMapping("/v1/admin/certificate-templates/{id}")
    public CertificateTemplateDefinition get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return catalog.certificateTemplate(tenant, id).filter(CertificateTemplateDefinition::active).orElseThrow(() ->
                ProblemException.notFound("CERTIFICATE_TEMPLATE_NOT_FOUND", "No certificate template '" + id
                        + "' in this tenant."));
    }

    /** {@code GET /v1/admin/certificate-templates}. */
    public record TemplateList(List<CertificateTemplateDefinition> certificateTemplates) {
    }
}
