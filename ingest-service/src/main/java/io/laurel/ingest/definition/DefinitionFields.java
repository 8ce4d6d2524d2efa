package io.laurel.ingest.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.ProblemException.FieldError;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/** Fields that badge and challenge definitions share, checked the same way with the same messages. */
public final class DefinitionFields {
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}", Pattern.CASE_INSENSITIVE);
    public static final Pattern CURRENCY = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    public static final String CURRENCY_RULE = "must be lower-case letters, digits, '_' or '-', starting with a letter";

    private DefinitionFields() {
    }

    /** The id of a new definition ({@code what}: "badge", "challenge"), or 422 at {@code /id}. */
    public static String id(JsonNode body, String what) {
        String id = body != null && body.path("id").isTextual() ? body.path("id").asText() : "";
        if (!ID.matcher(id).matches()) {
            throw ProblemException.invalid("Invalid " + what + ".", List.of(new FieldError("/id",
                    "is required: 1 to 63 letters, digits, '_', '.' and '-', starting with a letter or digit")));
        }
        return id;
    }

    /** Copies {@code name} (at most 200), {@code description} (at most 2000) and {@code image_url} (http or https). */
    public static void presentation(JsonNode body, ObjectNode out, List<FieldError> errors) {
        String name = text(body, "name");
        if (name != null && name.length() > 200) {
            errors.add(new FieldError("/name", "must be at most 200 characters"));
        }
        out.put("name", name);
        String description = text(body, "description");
        if (description != null && description.length() > 2000) {
            errors.add(new FieldError("/description", "must be at most 2000 characters"));
        }
        out.put("description", description);
        String image = text(body, "image_url");
        if (image != null && !isWebUrl(image)) {
            errors.add(new FieldError("/image_url", "must be an http or https URL of at most 2000 characters"));
        }
        out.put("image_url", image);
    }

    public static boolean isWebUrl(String s) {
        if (s.length() > 2000) {
            return false;
        }
        try {
            URI u = URI.create(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The field's text, or null when it is absent, not a string, or blank. */
    public static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    /** The field's text, or {@code fallback} when it is not a string. */
    public static String textOr(JsonNode body, String field, String fallback) {
        return body.path(field).isTextual() ? body.path(field).asText() : fallback;
    }
}
