package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an OpenAPI document (springdoc's {@code /v3/api-docs}) lacks: the operations whose request body or JSON answer
 * is not a component schema ({@code $ref: #/components/schemas/…}, directly or as the items of an array).
 */
final class OpenApiSchemas {
    /** Operations that take no body although they are POST or PUT (an action on a resource named in the path). */
    static final Set<String> WITHOUT_BODY = Set.of(
            "POST /v1/ops/rebuilds/{id}/switch",
            "POST /v1/ops/recalculations/{id}/apply",
            "POST /v1/notifications/{id}/read",
            "POST /v1/redemptions/{id}/confirm",
            "POST /v1/redemptions/{id}/release");

    private OpenApiSchemas() {
    }

    /** "METHOD /path: what it lacks", for every operation that lacks a schema. */
    static Set<String> lacking(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                String name = method + " " + path.getKey();
                JsonNode request = op.getValue().path("requestBody").path("content");
                if ((method.equals("POST") || method.equals("PUT")) && !WITHOUT_BODY.contains(name)
                        && !hasRef(request) && !onlyNamedMediaTypes(request)) {
                    out.add(name + ": request body");
                }
                if (!answers(op.getValue().path("responses"))) {
                    out.add(name + ": answer");
                }
            }
        }
        return out;
    }

    /** A 2xx answer in JSON (or any type) with a component schema, a 2xx answer of a named other media type, or a 204. */
    private static boolean answers(JsonNode responses) {
        boolean any = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!r.getKey().startsWith("2")) {
                continue;
            }
            JsonNode content = r.getValue().path("content");
            // no answer body (204, or a 200 springdoc documents without content for a Mono<Void>)
            if (content.isMissingNode()) {
                any = true;
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> types = content.fields(); types.hasNext(); ) {
                Map.Entry<String, JsonNode> type = types.next();
                // an image, a CSV, a stream of events: described by its media type; JSON or any type: by a schema
                boolean described = !type.getKey().contains("json") && !type.getKey().equals("*/*");
                if (described || hasRef(type.getValue())) {
                    any = true;
                } else {
                    return false;
                }
            }
        }
        return any;
    }

    /** Content only of named media types other than JSON (a form, an image). */
    private static boolean onlyNamedMediaTypes(JsonNode content) {
        if (content.isMissingNode() || content.isEmpty()) {
            return false;
        }
        for (Iterator<String> types = content.fieldNames(); types.hasNext(); ) {
            String type = types.next();
            if (type.contains("json") || type.equals("*/*")) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasRef(JsonNode content) {
        if (content.isMissingNode() || content.isEmpty()) {
            return false;
        }
        for (JsonNode media : content.isObject() && content.has("schema") ? java.util.List.of(content) : iterable(content)) {
            JsonNode schema = media.path("schema");
            String ref = schema.path("$ref").asText(schema.path("items").path("$ref").asText(""));
            if (!ref.startsWith("#/components/schemas/") || ref.endsWith("/JsonNode") || ref.contains("MapString")) {
                return false;
            }
        }
        return true;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node::elements;
    }
}
