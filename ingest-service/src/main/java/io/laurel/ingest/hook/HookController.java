package io.laurel.ingest.hook;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.catalog.EventTypeDefinition;
import io.laurel.ingest.event.EventAppender;
import io.laurel.ingest.event.EventValidator;
import io.laurel.ingest.eventtype.CompiledSchemas;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET|POST /v1/hooks/{event_type}} for platforms that can only call a URL (a course platform
 * calling "learner completed course"): query parameters, and form fields of a POST, become the event.
 * The key may come as {@code Authorization: Bearer}, the {@code X-Laurel-Key} header or the {@code key}
 * parameter. Answers exactly as {@code POST /v1/events}, {@code wait=badges} and {@code wait_ms} included; with
 * {@code wait=badges&result=link} the answer is the link to the certificate of the badge the event awarded
 * (the GetCourse flow: the platform stores the answer in the learner's profile).
 */
@RestController
public class HookController {
    private final CatalogView catalog;
    private final EventValidator validator;
    private final EventAppender appender;
    private final LaurelProperties props;
    private final io.laurel.ingest.event.IngestMetrics metrics;
    private final org.springframework.beans.factory.ObjectProvider<io.laurel.runtime.outcome.BadgeOutcomes> badges;

    public HookController(CatalogView catalog, CompiledSchemas schemas, EventAppender appender, LaurelProperties props,
                          io.laurel.ingest.event.IngestMetrics metrics,
                          org.springframework.beans.factory.ObjectProvider<io.laurel.runtime.outcome.BadgeOutcomes> badges) {
        this.badges = badges;
        this.metrics = metrics;
        this.catalog = catalog;
        this.validator = new EventValidator(catalog::eventType, schemas, Clock.systemUTC(),
                props.getIngest().getMaxFutureSkew(), catalog::position);
        this.appender = appender;
        this.props = props;
    }

    @RequestMapping(path = "/v1/hooks/{eventType}", method = {RequestMethod.GET, RequestMethod.POST})
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, description = "POST: form fields, as the"
            + " query parameters of a GET", content = @Content(mediaType = "application/x-www-form-urlencoded"))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "Accepted (200: a duplicate;"
            + " with result=link, 200 text/plain: the certificate's URL, 204: no badge awarded)", content = {
            @Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(
                    implementation = io.laurel.api.EventReceipt.class)),
            @Content(mediaType = "text/plain")})
    public Mono<ResponseEntity<Object>> hook(@PathVariable String eventType,
                                             @org.springframework.web.bind.annotation.RequestParam(required = false) String wait,
                                             @org.springframework.web.bind.annotation.RequestParam(name = "wait_ms",
                                                     defaultValue = "5000") long waitMs,
                                             @org.springframework.web.bind.annotation.RequestParam(required = false) String result,
                                             ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        String tenant = caller.require(Scope.EVENTS_WRITE);
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > props.getIngest().getMaxEventBytes()) {
            metrics.count(tenant, io.laurel.ingest.event.IngestMetrics.Outcome.REJECTED);
            throw new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "Payload too large",
                    "The request body is larger than " + props.getIngest().getMaxEventBytes() + " bytes.");
        }
        io.laurel.runtime.outcome.BadgeOutcomes waitFor = io.laurel.ingest.event.BadgeWait.outcomes(wait, waitMs, badges);
        if (wait != null && result != null && !result.equals("link")) {
            throw ProblemException.badRequest("INVALID_RESULT", "result must be 'link', not '" + result + "'");
        }
        boolean answerLink = wait != null && "link".equals(result);
        MediaType type = exchange.getRequest().getHeaders().getContentType();
        Mono<MultiValueMap<String, String>> form = type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)
                ? exchange.getFormData() : Mono.just(new LinkedMultiValueMap<>());
        String base = io.laurel.runtime.web.PublicUrls.base(exchange);
        return form.map(fields -> {
            MultiValueMap<String, String> all = new LinkedMultiValueMap<>(exchange.getRequest().getQueryParams());
            fields.forEach((k, v) -> all.addAll(k, v));
            JsonNode schema = catalog.eventType(tenant, eventType).map(EventTypeDefinition::eventDataSchema).orElse(null);
            return validator.validate(tenant, HookParameters.toEnvelope(eventType, all, schema), caller.scopes());
        }).doOnError(e -> metrics.count(tenant, io.laurel.ingest.event.IngestMetrics.Outcome.REJECTED))
                .flatMap(event -> {
                    if (waitFor == null) {
                        return appender.append(event).map(outcome -> {
                            var body = new io.laurel.api.EventReceipt(outcome.eventId(), outcome.duplicate()
                                    ? "duplicate" : "accepted", null, null, null);
                            return outcome.duplicate() ? ResponseEntity.ok((Object) body)
                                    : ResponseEntity.status(HttpStatus.ACCEPTED).body((Object) body);
                        });
                    }
                    return io.laurel.ingest.event.BadgeWait.append(appender, waitFor, event, tenant, waitMs).map(d -> {
                        var earned = d.earned();
                        if (answerLink) {
                            return linkAnswer(base, d.outcome().eventId(), earned);
                        }
                        var m = new io.laurel.api.EventReceipt(d.outcome().eventId(), d.outcome().duplicate()
                                ? "duplicate" : "accepted", earned != null, earned != null && !earned.isEmpty(),
                                earned == null ? java.util.List.of() : earned);
                        return d.outcome().duplicate() ? ResponseEntity.ok((Object) m)
                                : ResponseEntity.status(HttpStatus.ACCEPTED).body((Object) m);
                    });
                });
    }

    /**
     * {@code result=link}: 200 {@code text/plain} with the absolute URL of the certificate of the (first) badge the
     * event awarded, 204 when it awarded none, 503 {@code BADGES_DELAYED} when the badge service had not decided in
     * time (the event is recorded: the same call with the same {@code idempotence_key} answers the link later).
     */
    static ResponseEntity<Object> linkAnswer(String base, String eventId,
                                             java.util.List<java.util.Map<String, Object>> earned) {
        if (earned == null) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "BADGES_DELAYED", "Badges delayed",
                    "Event " + eventId + " was recorded, but the badge service has not decided it yet; call again with"
                            + " the same idempotence_key for the link.", java.util.List.of(),
                    java.util.Map.of(org.springframework.http.HttpHeaders.RETRY_AFTER, "2"));
        }
        for (java.util.Map<String, Object> badge : earned) {
            Object award = badge.get("award_id");
            if (award != null) {
                return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN)
                        .body((Object) (base + "/v1/certificates/" + award));
            }
        }
        return ResponseEntity.noContent().build();
    }
}
