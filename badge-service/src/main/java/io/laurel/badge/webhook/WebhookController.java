package io.laurel.badge.webhook;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.laurel.events.Ids;
import io.laurel.events.json.IsoInstants;
import io.laurel.runtime.web.Blocking;
import io.laurel.runtime.web.RequestBinder;
import io.laurel.api.WebhookRequest;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;
import io.laurel.runtime.web.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** Webhook subscriptions of a tenant, and their delivery log. */
@RestController
public class WebhookController {
    private static final long MAX_BODY = 8 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Webhooks webhooks;

    public WebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    /**
     * Subscribes {@code url} (http or https; placeholders such as {@code {user_id}} filled from each achievement)
     * to achievements of {@code kinds} (default all). Answers the signing secret, once.
     */
    @PostMapping("/v1/admin/webhooks")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookRequest.class)))
    public Mono<ResponseEntity<io.laurel.api.Webhook>> create(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return RequestBinder.body(exchange, MAX_BODY, WebhookRequest.class, "webhook").flatMap(request -> {
            List<FieldError> errors = new ArrayList<>();
            String url = request.url();
            if (!isWebUrl(url)) {
                errors.add(new FieldError("/url", "is required: an http or https URL of at most 2000 characters"));
            } else {
                if (Webhooks.PLACEHOLDER.matcher(hostPart(url)).find()) {
                    errors.add(new FieldError("/url", "placeholders are not allowed in the host"));
                }
                Matcher m = Webhooks.PLACEHOLDER.matcher(url);
                while (m.find()) {
                    if (!Webhooks.PLACEHOLDERS.contains(m.group(1))) {
                        errors.add(new FieldError("/url", "unknown placeholder {" + m.group(1) + "}; known: "
                                + new java.util.TreeSet<>(Webhooks.PLACEHOLDERS)));
                    }
                }
            }
            List<String> kinds = new ArrayList<>();
            if (request.kinds() == null) {
                kinds.addAll(new java.util.TreeSet<>(Webhooks.KINDS));
            } else {
                for (int i = 0; i < request.kinds().size(); i++) {
                    String kind = request.kinds().get(i);
                    if (!Webhooks.KINDS.contains(kind)) {
                        errors.add(new FieldError("/kinds/" + i, "must be one of " + new java.util.TreeSet<>(Webhooks.KINDS)));
                    } else if (!kinds.contains(kind)) {
                        kinds.add(kind);
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid("Invalid webhook.", errors);
            }
            // resolving the host blocks: off the event loop
            return Blocking.call(() -> java.util.Optional.ofNullable(
                            webhooks.targets().refusal(Webhooks.PLACEHOLDER.matcher(url).replaceAll("x"))))
                    .flatMap(refusal -> {
                        if (refusal.isPresent()) {
                            throw ProblemException.invalid("Webhook target not allowed.", List.of(new FieldError("/url",
                                    "is not delivered to: " + refusal.get())));
                        }
                        return subscribe(tenant, url, kinds);
                    });
        });
    }

    /** The URL's authority, as written (before placeholders are filled). */
    private static String hostPart(String url) {
        int start = url.indexOf("://");
        String rest = start < 0 ? url : url.substring(start + 3);
        int end = rest.indexOf('/');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private Mono<ResponseEntity<io.laurel.api.Webhook>> subscribe(String tenant, String url, List<String> kinds) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = "whsec_" + HexFormat.of().formatHex(raw);
        String id = Ids.timeOrdered().toString();
        return Blocking.call(() -> {
            webhooks.create(id, tenant, url, kinds, secret);
            return ResponseEntity.status(HttpStatus.CREATED).body(new io.laurel.api.Webhook(id, null, url, kinds, null,
                    null, secret));
        });
    }

    @GetMapping("/v1/admin/webhooks")
    public Mono<io.laurel.api.Webhooks> list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return Blocking.call(() -> new io.laurel.api.Webhooks(webhooks.list(tenant).stream().map(w ->
                new io.laurel.api.Webhook(w.id(), w.tenant(), w.url(), w.kinds(), w.active(), w.createdAt(), null))
                .toList()));
    }

    @DeleteMapping("/v1/admin/webhooks/{id}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_WRITE);
        return Blocking.call(() -> {
            if (!webhooks.delete(tenant, id)) {
                throw ProblemException.notFound("WEBHOOK_NOT_FOUND", "No webhook '" + id + "' in this tenant.");
            }
            return ResponseEntity.noContent().<Void>build();
        });
    }

    /** The latest 100 deliveries of a subscription, each with its attempts. */
    @GetMapping("/v1/admin/webhooks/{id}/deliveries")
    public Mono<io.laurel.api.Deliveries> deliveries(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.CATALOG_READ);
        return Blocking.call(() -> {
            if (webhooks.list(tenant).stream().noneMatch(w -> w.id().equals(id))) {
                throw ProblemException.notFound("WEBHOOK_NOT_FOUND", "No webhook '" + id + "' in this tenant.");
            }
            List<io.laurel.api.Delivery> out = new ArrayList<>();
            try (Connection c = webhooks.dataSource().getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id, award_id, kind, url, status, attempts,"
                        + " last_status, last_error, created_at, delivered_at, next_attempt_at FROM " + Webhooks.SCHEMA
                        + ".webhook_deliveries WHERE tenant = ? AND webhook_id = ? ORDER BY created_at DESC, id LIMIT 100")) {
                    ps.setString(1, tenant);
                    ps.setString(2, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Integer lastStatus = (Integer) rs.getObject(7);
                            out.add(new io.laurel.api.Delivery(rs.getString(1), rs.getString(2), rs.getString(3),
                                    rs.getString(4), rs.getString(5), rs.getInt(6), lastStatus, rs.getString(8),
                                    rs.getTimestamp(9).toInstant(), rs.getTimestamp(10) == null ? null
                                    : rs.getTimestamp(10).toInstant(), "pending".equals(rs.getString(5))
                                    ? rs.getTimestamp(11).toInstant() : null, attempts(c, rs.getString(1))));
                        }
                    }
                }
            }
            return new io.laurel.api.Deliveries(out);
        });
    }

    private static List<io.laurel.api.DeliveryAttempt> attempts(Connection c, String deliveryId)
            throws java.sql.SQLException {
        List<io.laurel.api.DeliveryAttempt> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt, at, status, error, millis FROM " + Webhooks.SCHEMA
                + ".webhook_attempts WHERE delivery_id = ? ORDER BY attempt")) {
            ps.setString(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new io.laurel.api.DeliveryAttempt(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                            (Integer) rs.getObject(3), rs.getString(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    private static boolean isWebUrl(String s) {
        if (s.length() > 2000) {
            return false;
        }
        try {
            URI u = URI.create(s.replaceAll("\\{[a-z_]+}", "x"));
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
