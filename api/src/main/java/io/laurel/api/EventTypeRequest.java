package io.laurel.api;

/** {@code POST|PUT /v1/admin/event-types}: JSON Schema (draft-07) or the short form of {@code eventDataSchema}. */
public record EventTypeRequest(String name, String description, java.util.Map<String, Object> eventDataSchema) {
    /** An event type with the short form of a schema: required fields and their types ("number", "string", ...). */
    public static EventTypeRequest of(String name, java.util.List<String> required, java.util.Map<String, String> properties) {
        return new EventTypeRequest(name, null, java.util.Map.of("required", required, "properties", properties));
    }
}
