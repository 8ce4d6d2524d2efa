package io.laurel.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Laurel's HTTP API as the CLI uses it: JSON in and out, a problem answer as one readable line. */
final class OpsApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A call that did not succeed; the message is the problem detail in one line. */
    static final class ApiException extends RuntimeException {
        ApiException(String message) {
            super(message);
        }
    }

    private final URI base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OpsApi(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    URI base() {
        return base;
    }

    JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    JsonNode post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** A text answer (CSV, say) for {@code accept}. */
    String text(String path, String accept) {
        HttpRequest request = request(path).setHeader("Accept", accept).GET().build();
        HttpResponse<String> response = exchange(request);
        if (response.statusCode() / 100 != 2) {
            throw new ApiException(problem(request, response.statusCode(), parse(response.body())));
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(base.getPath() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response = exchange(request);
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new ApiException(problem(request, response.statusCode(), body));
        }
        return body;
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new ApiException("cannot reach Laurel at " + base + " (is it running? --url or LAUREL_URL)");
        } catch (IOException e) {
            throw new ApiException("calling " + request.method() + " " + request.uri().getPath() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
    }

    /** "403 INSUFFICIENT_SCOPE: <detail>" from an RFC 9457 answer; the status and raw text otherwise. */
    static String problem(HttpRequest request, int status, JsonNode body) {
        String where = request.method() + " " + request.uri().getPath();
        if (body != null && body.isObject() && body.has("code")) {
            String detail = body.path("detail").asText(body.path("title").asText(""));
            return status + " " + body.get("code").asText() + ": " + detail + " (" + where + ")";
        }
        return status + " from " + where;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }
}
