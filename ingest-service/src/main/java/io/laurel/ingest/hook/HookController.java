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
 * parameter. Answers exactly as {@code POST /v1/events}.
 */
@RestController
public class HookController {
    private final CatalogView catalog;
    private final EventValidator validator;
    private final EventAppender appender;
    private final LaurelProperties props;
    private final io.laurel.ingest.event.IngestMetrics metrics;

    public HookController(CatalogView catalog, CompiledSchemas schemas, EventAppender appender, LaurelProperties props,
                          io.laurel.ingest.event.IngestMetrics metrics) {
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
    public Mono<ResponseEntity<io.laurel.api.EventReceipt>> hook(@PathVariable String eventType, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        String tenant = caller.require(Scope.EVENTS_WRITE);
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > props.getIngest().getMaxEventBytes()) {
            metrics.count(tenant, io.laurel.ingest.event.IngestMetrics.Outcome.REJECTED);
            throw new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "Payload too large",
                    "The request body is larger than " + props.getIngest().getMaxEventBytes() + " bytes.");
        }
        MediaType type = exchange.getRequest().getHeaders().getContentType();
        Mono<MultiValueMap<String, String>> form = type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)
                ? exchange.getFormData() : Mono.just(new LinkedMultiValueMap<>());
        return form.map(fields -> {
            MultiValueMap<String, String> all = new LinkedMultiValueMap<>(exchange.getRequest().getQueryParams());
            fields.forEach((k, v) -> all.addAll(k, v));
            JsonNode schema = catalog.eventType(tenant, eventType).map(EventTypeDefinition::eventDataSchema).orElse(null);
            return validator.validate(tenant, HookParameters.toEnvelope(eventType, all, schema), caller.scopes());
        }).doOnError(e -> metrics.count(tenant, io.laurel.ingest.event.IngestMetrics.Outcome.REJECTED))
                .flatMap(appender::append).map(outcome -> {
            var body = new io.laurel.api.EventReceipt(outcome.eventId(), outcome.duplicate() ? "duplicate" : "accepted",
                    null, null, null);
            return outcome.duplicate() ? ResponseEntity.ok(body) : ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
        });
    }
}
