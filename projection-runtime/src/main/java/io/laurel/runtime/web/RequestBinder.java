package io.laurel.runtime.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.laurel.api.Checked;
import io.laurel.api.NumberAsText;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.web.ProblemException.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds a JSON request body to an API record (laurel-api) and validates it, answering every bad field at once:
 * one {@code { "pointer", "message" }} per field, never a stack of Jackson's first complaint.
 *
 * <ol>
 *   <li>The body must be an object ({@code ""}: "expected an object").</li>
 *   <li>Each record component is read from its snake_case property on its own, strictly: no string for a number,
 *       no number for a boolean, no fraction for a whole number, no number for a string (unless the component is
 *       {@link NumberAsText}, as Discourse's {@code "user_id": 42}), times only as ISO-8601 strings. A type error names the component's pointer and,
 *       inside lists and nested objects, the element's ({@code /steps/2/target}).</li>
 *   <li>The bound record is checked against its Jakarta constraints ({@code @NotBlank}, {@code @Size},
 *       {@code @Pattern}, {@code @Min}, ...); a field that already failed its type is not reported twice.</li>
 *   <li>A record that implements {@link Checked} then checks what spans fields (a field that failed binds to
 *       {@code null} there); a pointer already answered is not answered twice.</li>
 * </ol>
 * A missing property and {@code null} both bind to {@code null} (to 0 or false for a primitive); {@link Bound#has}
 * tells them apart where a request means "clear" by an explicit {@code null}. Unknown properties are ignored.
 */
public final class RequestBinder {
    private static final ObjectMapper STRICT = strict();
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory().getValidator();
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

    private RequestBinder() {
    }

    /** A bound request with the JSON it came from. */
    public record Bound<R>(R value, JsonNode body) {
        /** Whether the body names {@code property} (snake_case), {@code null} included. */
        public boolean has(String property) {
            return body.has(property);
        }
    }

    /** Reads the body (size-limited, as {@link Bodies#json}) and binds it; {@code what} names it in the problem. */
    public static <R extends Record> Mono<R> body(ServerWebExchange exchange, long maxBytes, Class<R> type, String what) {
        return Bodies.json(exchange, maxBytes).map(json -> bind(json, type, what));
    }

    /** As {@link #body(ServerWebExchange, long, Class, String)}, with the service's own checks ({@link #bind(JsonNode, Class, String, java.util.function.Function)}). */
    public static <R extends Record> Mono<R> body(ServerWebExchange exchange, long maxBytes, Class<R> type, String what,
                                                  java.util.function.Function<R, List<FieldError>> more) {
        return Bodies.json(exchange, maxBytes).map(json -> bind(json, type, what, more));
    }

    /** As {@link #body}, keeping the JSON for presence checks. */
    public static <R extends Record> Mono<Bound<R>> bound(ServerWebExchange exchange, long maxBytes, Class<R> type,
                                                         String what) {
        return Bodies.json(exchange, maxBytes).map(json -> new Bound<>(bind(json, type, what), json));
    }

    /**
     * Binds {@code body} to {@code type}, or throws 422 {@code VALIDATION_FAILED} with every bad field;
     * {@code what} starts the problem's detail ("Invalid redemption.").
     */
    public static <R extends Record> R bind(JsonNode body, Class<R> type, String what) {
        return bind(body, type, what, r -> List.of());
    }

    /**
     * As {@link #bind(JsonNode, Class, String)}, with the checks only the service can make (does the tenant have
     * this event type?) answered together with the rest: {@code more} sees the bound record, a field that failed as
     * {@code null} (an element of a list too).
     */
    public static <R extends Record> R bind(JsonNode body, Class<R> type, String what,
                                            java.util.function.Function<R, List<FieldError>> more) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid(capitalised(what) + " is a JSON object.",
                    List.of(new FieldError("", "expected an object")));
        }
        Shape shape = SHAPES.computeIfAbsent(type, RequestBinder::shape);
        List<FieldError> errors = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        R value = type.cast(construct(body, shape, "", errors, failed));
        List<FieldError> violations = new ArrayList<>();
        for (ConstraintViolation<R> v : VALIDATOR.validate(value)) {
            String pointer = pointer(shape, v.getPropertyPath());
            if (failed.stream().anyMatch(f -> pointer.equals(f) || pointer.startsWith(f + "/"))) {
                continue;
            }
            violations.add(new FieldError(pointer, v.getMessage()));
        }
        // a validator reports in no set order: by pointer, so one body always answers one list
        violations.sort(Comparator.comparing(FieldError::pointer).thenComparing(FieldError::message));
        errors.addAll(violations);
        // the record's own cross-field checks, then the service's: a pointer already answered is not answered twice
        Set<String> reported = new HashSet<>();
        errors.forEach(e -> reported.add(e.pointer()));
        if (value instanceof Checked checked) {
            for (io.laurel.api.FieldError e : checked.check()) {
                if (reported.add(e.pointer())) {
                    errors.add(new FieldError(e.pointer(), e.message()));
                }
            }
        }
        for (FieldError e : more.apply(value)) {
            if (reported.add(e.pointer())) {
                errors.add(e);
            }
        }
        // in the order of the record's components; within one, types first, then constraints, then the checks
        errors.sort(Comparator.comparingInt((FieldError e) -> shape.order(e.pointer())));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid " + what + ".", errors);
        }
        return value;
    }

    /**
     * One record from one JSON object, each component on its own: a nested record is bound the same way (every bad
     * field of it answered), anything else by Jackson. A component that fails is recorded in {@code failed} (its
     * pointer) and bound as absent.
     */
    private static Object construct(JsonNode object, Shape shape, String at, List<FieldError> errors, Set<String> failed) {
        Object[] args = new Object[shape.components.size()];
        for (int i = 0; i < args.length; i++) {
            Component c = shape.components.get(i);
            String pointer = at + "/" + c.json;
            JsonNode node = object.get(c.json);
            if (node == null || node.isNull()) {
                args[i] = c.absent;
                continue;
            }
            if (c.numberAsText && node.isIntegralNumber()) {
                node = com.fasterxml.jackson.databind.node.TextNode.valueOf(node.asText());
            }
            if (c.type.getRawClass().isRecord()) {
                if (node.isObject()) {
                    args[i] = construct(node, SHAPES.computeIfAbsent(c.type.getRawClass(), RequestBinder::shape), pointer,
                            errors, failed);
                } else {
                    errors.add(new FieldError(pointer, "must be an object"));
                    failed.add(pointer);
                    args[i] = null;
                }
                continue;
            }
            if (java.util.List.class.isAssignableFrom(c.type.getRawClass()) && node.isArray()) {
                args[i] = list(node, c.type.getContentType(), pointer, errors, failed);
                continue;
            }
            try {
                args[i] = read(node, c);
            } catch (BadValue e) {
                errors.add(new FieldError(pointer + e.pointer, e.getMessage()));
                failed.add(pointer);
                args[i] = c.absent;
            }
        }
        try {
            return shape.constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw ProblemException.invalid("Invalid request.", List.of(new FieldError(at, bad.getMessage())));
            }
            throw new IllegalStateException("cannot create " + shape.constructor.getDeclaringClass().getSimpleName(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + shape.constructor.getDeclaringClass().getSimpleName(), e);
        }
    }

    /**
     * A list element by element: each bad element is answered (its pointer in {@code failed}) and bound as
     * {@code null}, so the checks that follow still see the good ones where they stand.
     */
    private static List<Object> list(JsonNode array, JavaType element, String at, List<FieldError> errors,
                                     Set<String> failed) {
        List<Object> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            String pointer = at + "/" + i;
            if (node.isNull()) {
                out.add(null);
            } else if (element.getRawClass().isRecord() && node.isObject()) {
                out.add(construct(node, SHAPES.computeIfAbsent(element.getRawClass(), RequestBinder::shape), pointer,
                        errors, failed));
            } else {
                try {
                    out.add(read(node, element));
                } catch (BadValue e) {
                    errors.add(new FieldError(pointer + e.pointer, e.getMessage()));
                    failed.add(pointer);
                    out.add(null);
                }
            }
        }
        return java.util.Collections.unmodifiableList(out);
    }

    private static Object read(JsonNode node, Component c) throws BadValue {
        return read(node, c.type);
    }

    private static Object read(JsonNode node, JavaType type) throws BadValue {
        Class<?> raw = type.getRawClass();
        if (isTextual(raw) && !node.isTextual()) {
            throw new BadValue("", describe(type));
        }
        try {
            return STRICT.readerFor(type).readValue(STRICT.treeAsTokens(node));
        } catch (JsonMappingException e) {
            StringBuilder at = new StringBuilder();
            for (JsonMappingException.Reference r : e.getPath()) {
                if (r.getFieldName() != null) {
                    at.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
                } else if (r.getIndex() >= 0) {
                    at.append('/').append(r.getIndex());
                }
            }
            JavaType target = e instanceof MismatchedInputException m && m.getTargetType() != null
                    ? STRICT.constructType(m.getTargetType()) : null;
            throw new BadValue(at.toString(), at.isEmpty() || target == null ? describe(type) : describe(target));
        } catch (IOException e) {
            throw new BadValue("", describe(type));
        }
    }

    private static boolean isTextual(Class<?> raw) {
        return Temporal.class.isAssignableFrom(raw) || raw == UUID.class || raw == java.time.ZoneId.class;
    }

    /** What a component must be, in the words of the problem ("must be a whole number"). */
    static String describe(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            return "must be a string";
        }
        if (raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class
                || raw == short.class || raw == Short.class || raw == java.math.BigInteger.class) {
            return "must be a whole number";
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class
                || raw == java.math.BigDecimal.class) {
            return "must be a number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "must be true or false";
        }
        if (raw == Instant.class) {
            return "must be an ISO-8601 time such as 2026-05-01T00:00:00Z";
        }
        if (raw == LocalDate.class) {
            return "must be a date such as 2026-05-01";
        }
        if (raw.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return "must be one of " + String.join(", ", names);
        }
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            JavaType element = type.getContentType();
            String of = element == null ? "values" : describe(element).replaceFirst("^must be an? ", "");
            return "must be a list of " + plural(of);
        }
        if (Map.class.isAssignableFrom(raw) || JsonNode.class.isAssignableFrom(raw) || raw.isRecord()) {
            return "must be an object";
        }
        return "has the wrong type";
    }

    private static String plural(String noun) {
        if (noun.startsWith("string")) {
            return "strings";
        }
        if (noun.startsWith("whole number")) {
            return "whole numbers";
        }
        if (noun.startsWith("number")) {
            return "numbers";
        }
        if (noun.startsWith("object")) {
            return "objects";
        }
        return noun;
    }

    /** {@code eventTypes[2]} becomes {@code /event_types/2}; a class-level constraint has pointer {@code ""}. */
    private static String pointer(Shape shape, Path path) {
        StringBuilder p = new StringBuilder();
        for (Path.Node n : path) {
            if (n.getIndex() != null) {
                p.append('/').append(n.getIndex());
            } else if (n.getKey() != null) {
                p.append('/').append(String.valueOf(n.getKey()).replace("~", "~0").replace("/", "~1"));
            }
            if (n.getName() != null && n.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                Component c = p.isEmpty() ? shape.byName.get(n.getName()) : null;
                p.append('/').append(c != null ? c.json : SNAKE.translate(n.getName()));
            }
        }
        return p.toString();
    }

    private static String capitalised(String what) {
        return what.isEmpty() ? what : Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }

    private static Shape shape(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        RecordComponent[] rc = type.getRecordComponents();
        List<Component> components = new ArrayList<>(rc.length);
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            RecordComponent r = rc[i];
            types[i] = r.getType();
            JsonProperty named = r.getAnnotation(JsonProperty.class);
            String json = named != null && !named.value().isEmpty() ? named.value() : SNAKE.translate(r.getName());
            components.add(new Component(r.getName(), json, STRICT.constructType(r.getGenericType()), absent(r.getType()),
                    r.isAnnotationPresent(NumberAsText.class)));
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            Map<String, Component> byName = new ConcurrentHashMap<>();
            components.forEach(c -> byName.put(c.name, c));
            return new Shape(List.copyOf(components), byName, constructor);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type + " has no canonical constructor", e);
        }
    }

    private static Object absent(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == short.class) {
            return (short) 0;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        return '\0';
    }

    private static ObjectMapper strict() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .build();
        LaurelJson.configure(mapper);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }

    private record Component(String name, String json, JavaType type, Object absent, boolean numberAsText) {
    }

    private record Shape(List<Component> components, Map<String, Component> byName, Constructor<?> constructor) {
        int order(String pointer) {
            int end = pointer.indexOf('/', 1);
            String top = pointer.isEmpty() ? "" : pointer.substring(1, end < 0 ? pointer.length() : end);
            for (int i = 0; i < components.size(); i++) {
                if (components.get(i).json.equals(top)) {
                    return i;
                }
            }
            return components.size();
        }
    }

    private static final class BadValue extends Exception {
        final String pointer;

        BadValue(String pointer, String message) {
            super(message, null, false, false);
            this.pointer = pointer;
        }
    }
}
