package io.laurel.runtime.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.json.LaurelJson;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/** Renders every error as {@code application/problem+json}. */
public final class Problems {
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final ObjectMapper MAPPER = LaurelJson.mapper();

    private Problems() {
    }

    /** Seconds a client is asked to wait (Retry-After) when the database or the event log is unreachable. */
    public static final int OUTAGE_RETRY_AFTER_SECONDS = 5;

    /** Maps any failure of a request to a problem; unknown failures are 500 without internals. */
    public static ProblemException from(Throwable error) {
        if (error instanceof ProblemException p) {
            return p;
        }
        String outage = outage(error);
        if (outage != null) {
            boolean database = outage.equals("database");
            return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE,
                    database ? "DATABASE_UNAVAILABLE" : "EVENT_LOG_UNAVAILABLE",
                    database ? "Database unavailable" : "Event log unavailable",
                    (database ? "The database" : "The event log (Kafka)") + " cannot be reached at the moment; nothing"
                            + " was changed by this request. Retry after " + OUTAGE_RETRY_AFTER_SECONDS + " seconds.",
                    java.util.List.of(), java.util.Map.of("Retry-After", Integer.toString(OUTAGE_RETRY_AFTER_SECONDS)));
        }
        if (error instanceof DataBufferLimitException) {
            return new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "Payload too large",
                    "The request body is larger than this endpoint accepts.");
        }
        if (error instanceof ServerWebInputException in) {
            Throwable cause = in.getMostSpecificCause();
            if (cause instanceof DataBufferLimitException) {
                return from(cause);
            }
            if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
                return new ProblemException(HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "Bad request",
                        "The request body is not valid JSON: " + json.getOriginalMessage());
            }
            if (in.getMethodParameter() != null && in.getMethodParameter().getParameterName() != null) {
                return new ProblemException(HttpStatus.BAD_REQUEST, "INVALID_PARAMETER", "Invalid parameter",
                        "Parameter '" + in.getMethodParameter().getParameterName() + "' is invalid: "
                                + (in.getReason() == null ? cause.getMessage() : in.getReason()));
            }
            return new ProblemException(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", "Malformed request",
                    in.getReason() == null ? "The request could not be read." : in.getReason());
        }
        if (error instanceof MethodNotAllowedException m) {
            return new ProblemException(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "Method not allowed",
                    m.getReason() == null ? "Method not allowed." : m.getReason());
        }
        if (error instanceof UnsupportedMediaTypeStatusException u) {
            return new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                    "Unsupported media type", u.getReason());
        }
        if (error instanceof ResponseStatusException r) {
            HttpStatusCode code = r.getStatusCode();
            HttpStatus status = HttpStatus.resolve(code.value());
            if (status == null) {
                status = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            String c = status == HttpStatus.NOT_FOUND ? "NOT_FOUND" : status.name();
            return new ProblemException(status, c, status.getReasonPhrase(),
                    r.getReason() == null ? status.getReasonPhrase() : r.getReason());
        }
        return new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal error",
                "The request failed on the server; it has been logged.");
    }

    /**
     * {@code database} or {@code kafka} when {@code error} (or a cause) says that the database or the broker is
     * unreachable (refused or lost connections, timeouts waiting for a connection, a server shutting down), else
     * null. Such a request changed nothing that was not rolled back, so the client may send it again.
     */
    static String outage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            // by what failed, not by the driver's exception class: r2dbc-postgresql reports every SQLSTATE it does
            // not map (a raised exception, a lock timeout...) as a "non-transient resource" exception
            if (t instanceof org.springframework.dao.DataAccessResourceFailureException // no connection to be had
                    || t instanceof io.r2dbc.spi.R2dbcTimeoutException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.net.ConnectException
                    || type.equals("reactor.pool.PoolAcquireTimeoutException")
                    || type.equals("io.r2dbc.postgresql.client.ReactorNettyClient$PostgresConnectionClosedException")
                    || type.equals("io.r2dbc.postgresql.client.ReactorNettyClient$PostgresConnectionException")
                    || type.equals("io.r2dbc.postgresql.PostgresqlConnectionFactory$PostgresConnectionException")) {
                return "database";
            }
            String state = t instanceof java.sql.SQLException sql ? sql.getSQLState()
                    : t instanceof io.r2dbc.spi.R2dbcException r ? r.getSqlState() : null;
            if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
                return "database";
            }
            if (t instanceof org.apache.kafka.common.errors.TimeoutException
                    || t instanceof org.apache.kafka.common.errors.NetworkException
                    || t instanceof org.apache.kafka.common.errors.NotEnoughReplicasException
                    || t instanceof org.apache.kafka.common.errors.DisconnectException) {
                return "kafka";
            }
        }
        return null;
    }

    public static ObjectNode body(ProblemException p, String instance) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "https://laurel.dev/problems/" + p.code().toLowerCase().replace('_', '-'));
        node.put("status", p.status().value());
        node.put("title", p.title());
        node.put("detail", p.getMessage());
        node.put("code", p.code());
        if (instance != null) {
            node.put("instance", instance);
        }
        if (!p.errors().isEmpty()) {
            ArrayNode errors = node.putArray("errors");
            for (ProblemException.FieldError e : p.errors()) {
                errors.addObject().put("pointer", e.pointer()).put("message", e.message());
            }
        }
        return node;
    }

    /** The same problem detail as a record of the public API (a batch's rejected item carries one). */
    public static io.laurel.api.Problem record(ProblemException p, String instance) {
        return new io.laurel.api.Problem("https://laurel.dev/problems/" + p.code().toLowerCase().replace('_', '-'),
                p.title(), p.status().value(), p.getMessage(), p.code(), p.errors().isEmpty() ? null
                : p.errors().stream().map(e -> new io.laurel.api.FieldError(e.pointer(), e.message())).toList(), instance);
    }

    public static Mono<Void> write(ServerHttpResponse response, ProblemException p, String instance) {
        response.setStatusCode(p.status());
        response.getHeaders().setContentType(PROBLEM_JSON);
        p.headers().forEach(response.getHeaders()::set);
        if (p.status() == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set("WWW-Authenticate", "Bearer realm=\"laurel\"");
        }
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body(p, instance));
        } catch (Exception e) {
            bytes = "{\"status\":500,\"code\":\"INTERNAL_ERROR\"}".getBytes();
        }
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }
}
