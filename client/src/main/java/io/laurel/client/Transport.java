package io.laurel.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.laurel.api.ApiJson;
import io.laurel.api.Problem;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends calls over {@link HttpClient}, asynchronously: 429 (never processed) is retried, 503 only for a repeatable
 * call, each after the server's {@code Retry-After} when it gives one, else after an exponential back-off with
 * jitter; other answers of 400 and above become {@link LaurelApiException}s.
 */
final class Transport {
    private final HttpClient http;
    private final URI base;
    private final String apiKey;
    private final LaurelClient.Settings settings;
    final ObjectMapper json = ApiJson.mapper();

    Transport(HttpClient http, URI base, String apiKey, LaurelClient.Settings settings) {
        this.http = http;
        this.base = base;
        this.apiKey = apiKey;
        this.settings = settings;
    }

    JavaType type(Class<?> c) {
        return json.getTypeFactory().constructType(c);
    }

    <T> CompletableFuture<T> send(Call<T> call) {
        return attempt(call, 0);
    }

    /** The answer of a successful call as text (CSV, links). */
    CompletableFuture<String> sendText(Call<?> call) {
        return exchange(call, 0).thenApply(HttpResponse::body);
    }

    <T> T sync(Call<T> call) {
        try {
            return send(call).join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    String syncText(Call<?> call) {
        try {
            return sendText(call).join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    static RuntimeException unwrap(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof RuntimeException r ? r : new LaurelException(t.getMessage(), t);
    }

    private <T> CompletableFuture<T> attempt(Call<T> call, int attempt) {
        return exchange(call, attempt).thenApply(response -> read(call, response));
    }

    private CompletableFuture<HttpResponse<String>> exchange(Call<?> call, int attempt) {
        HttpRequest request = request(call);
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        // nothing reached the server when the connection was refused; other failures are unknown
                        boolean retry = attempt < settings.maxRetries() && (call.repeatable()
                                || cause instanceof java.net.ConnectException);
                        if (retry) {
                            return later(backoff(attempt, null), () -> exchange(call, attempt + 1));
                        }
                        return CompletableFuture.<HttpResponse<String>>failedFuture(new LaurelException(
                                call.method() + " " + call.path() + " failed: " + cause, cause));
                    }
                    int status = response.statusCode();
                    boolean retry = attempt < settings.maxRetries()
                            && (status == 429 || (status == 503 && call.repeatable()));
                    if (retry) {
                        return later(backoff(attempt, response.headers().firstValue("Retry-After").orElse(null)),
                                () -> exchange(call, attempt + 1));
                    }
                    if (status >= 400) {
                        return CompletableFuture.<HttpResponse<String>>failedFuture(new LaurelApiException(problem(response)));
                    }
                    return CompletableFuture.completedFuture(response);
                }).thenCompose(f -> f);
    }

    private static <X> CompletableFuture<X> later(Duration delay, java.util.function.Supplier<CompletableFuture<X>> next) {
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> next.get());
    }

    /** The pause before attempt {@code attempt + 1}: the server's Retry-After, else exponential with full jitter. */
    Duration backoff(int attempt, String retryAfter) {
        Duration server = retryAfter(retryAfter);
        if (server != null) {
            return server.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : server;
        }
        long cap = Math.min(settings.maxBackoff().toMillis(), settings.initialBackoff().toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }

    /** Retry-After as seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException again) {
                return null;
            }
        }
    }

    private HttpRequest request(Call<?> call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + call.path().substring(1))).timeout(settings.requestTimeout())
                .header("Accept", "application/json");
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        call.headers().forEach(b::setHeader);
        if (call.body() == null) {
            b.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json");
            try {
                b.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(call.body())));
            } catch (IOException e) {
                throw new LaurelException("cannot write the request body: " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private <T> T read(Call<T> call, HttpResponse<String> response) {
        if (call.answer() == null || call.answer().getRawClass() == Void.class) {
            return null;
        }
        String body = response.body();
        if (body == null || body.isEmpty()) {
            return null; // 204
        }
        try {
            return json.readValue(body, call.answer());
        } catch (IOException e) {
            throw new LaurelException("cannot read the answer of " + call.method() + " " + call.path() + ": "
                    + e.getMessage(), e);
        }
    }

    private Problem problem(HttpResponse<String> response) {
        return problem(response.statusCode(), response.body());
    }

    /** The problem detail of an error answer; a body that is not one (a proxy's page) becomes its detail. */
    Problem problem(int status, String text) {
        String body = text == null ? "" : text;
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.isObject()) {
                Problem p = json.treeToValue(node, Problem.class);
                return new Problem(p.type(), p.title(), p.status() == 0 ? status : p.status(), p.detail(),
                        p.code(), p.errors(), p.instance());
            }
        } catch (IOException e) {
            // not JSON: a proxy's page
        }
        String detail = body.length() > 500 ? body.substring(0, 500) + "…" : body;
        return new Problem("about:blank", "HTTP " + status, status, detail.isBlank() ? null : detail.strip(), null,
                List.of(), null);
    }

    /** {@code path?k=v&…}, each value URL-encoded; null values left out. */
    static String query(String path, Map<String, ?> params) {
        StringBuilder b = new StringBuilder(path);
        char sep = path.contains("?") ? '&' : '?';
        for (var e : params.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            b.append(sep).append(enc(e.getKey())).append('=').append(enc(String.valueOf(e.getValue())));
            sep = '&';
        }
        return b.toString();
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    HttpClient http() {
        return http;
    }

    URI base() {
        return base;
    }

    String apiKey() {
        return apiKey;
    }
}
