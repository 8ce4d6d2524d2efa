package io.laurel.events.expression;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled rule expression: a condition ({@code amount >= 100 && currency == 'EUR'}) or a points
 * expression ({@code floor(amount / 10)}) over an event. The language is small and safe: literals, field
 * references, arithmetic, comparisons, boolean logic, {@code in [...]} and a fixed set of functions; it
 * cannot call code, loop, allocate without bound or reach anything but the event it is given.
 *
 * <p>Values are numbers (exact decimals), strings, booleans, lists and null. A name refers to a field of
 * {@code event_data} ({@code amount} is {@code event_data.amount}); {@code user_id}, {@code event_type}
 * and {@code groups} are the envelope's own fields. A missing field is null; arithmetic with null is
 * null, an ordering comparison with null is false, and a value of the wrong type for an operator makes
 * the whole expression null. A null condition does not hold; a null points expression awards nothing.
 */
public final class Expression {
    /** Longest expression text accepted. */
    public static final int MAX_LENGTH = 2000;
    static final int MAX_DEPTH = 64;
    private static final MathContext DIVISION = new MathContext(34, RoundingMode.HALF_EVEN);

    private final String text;
    private final Node root;

    private Expression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Parses {@code text}, or throws {@link ExpressionException} saying where and why. */
    public static Expression parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new ExpressionException("an expression is at most " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        if (text.isBlank()) {
            throw new ExpressionException("the expression is empty", 0);
        }
        return new Expression(text, new Parser(text).parseAll());
    }

    public String text() {
        return text;
    }

    /** The value for this event: a BigDecimal, String, Boolean, List or null. */
    public Object evaluate(Context context) {
        try {
            return root.eval(context);
        } catch (TypeMismatch e) {
            return null;
        }
    }

    /** True only when the expression evaluates to {@code true}. */
    public boolean test(Context context) {
        return Boolean.TRUE.equals(evaluate(context));
    }

    /** The value as a number, or null when it is not one. */
    public BigDecimal number(Context context) {
        return evaluate(context) instanceof BigDecimal d ? d : null;
    }

    @Override
    public String toString() {
        return text;
    }

    /** What an expression can see: the event's fields. */
    public interface Context {
        /** A top-level name: an envelope field ({@code user_id}, {@code event_type}, {@code groups}) or {@code event_data}. */
        Object variable(String name);

        /** The context of one event. */
        static Context of(String userId, String eventType, List<String> groups, JsonNode eventData) {
            return name -> switch (name) {
                case "user_id" -> userId;
                case "event_type" -> eventType;
                case "groups" -> groups == null ? List.of() : List.copyOf(groups);
                case "event_data" -> fromJson(eventData);
                default -> fromJson(eventData == null ? null : eventData.get(name));
            };
        }

        /** A context over plain values, for tests and tools. */
        static Context of(Map<String, ?> variables) {
            return variables::get;
        }
    }

    /** A JSON value as an expression value. */
    public static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(fromJson(n)));
            return list;
        }
        return node; // an object: only its fields can be read
    }

    // ---------------------------------------------------------------- evaluation

    private static final class TypeMismatch extends RuntimeException {
        TypeMismatch() {
            super(null, null, false, false);
        }
    }

    private static final TypeMismatch MISMATCH = new TypeMismatch();

    interface Node {
        Object eval(Context c);
    }

    record Literal(Object value) implements Node {
        public Object eval(Context c) {
            return value;
        }
    }

    record Variable(String name) implements Node {
        public Object eval(Context c) {
            return normalise(c.variable(name));
        }
    }

    record Field(Node target, String name) implements Node {
        public Object eval(Context c) {
            Object t = target.eval(c);
            if (t instanceof JsonNode j) {
                return fromJson(j.get(name));
            }
            if (t instanceof Map<?, ?> m) {
                return normalise(m.get(name));
            }
            return null;
        }
    }

    record ListNode(List<Node> items) implements Node {
        public Object eval(Context c) {
            List<Object> values = new ArrayList<>(items.size());
            for (Node n : items) {
                values.add(n.eval(c));
            }
            return values;
        }
    }

    record Not(Node operand) implements Node {
        public Object eval(Context c) {
            Object v = operand.eval(c);
            if (v == null) {
                return null;
            }
            return !bool(v);
        }
    }

    record Negate(Node operand) implements Node {
        public Object eval(Context c) {
            Object v = operand.eval(c);
            return v == null ? null : num(v).negate();
        }
    }

    record And(Node left, Node right) implements Node {
        public Object eval(Context c) {
            Object l = left.eval(c);
            if (l != null && !bool(l)) {
                return false;
            }
            Object r = right.eval(c);
            if (r != null && !bool(r)) {
                return false;
            }
            return l == null || r == null ? null : true;
        }
    }

    record Or(Node left, Node right) implements Node {
        public Object eval(Context c) {
            Object l = left.eval(c);
            if (l != null && bool(l)) {
                return true;
            }
            Object r = right.eval(c);
            if (r != null && bool(r)) {
                return true;
            }
            return l == null || r == null ? null : false;
        }
    }

    record Binary(String op, Node left, Node right) implements Node {
        public Object eval(Context c) {
            Object l = left.eval(c);
            Object r = right.eval(c);
            switch (op) {
                case "==":
                    return same(l, r);
                case "!=":
                    return !same(l, r);
                case "in":
                    if (r == null) {
                        return false;
                    }
                    if (r instanceof List<?> list) {
                        for (Object o : list) {
                            if (same(l, o)) {
                                return true;
                            }
                        }
                        return false;
                    }
                    if (r instanceof String s && l instanceof String sub) {
                        return s.contains(sub);
                    }
                    throw MISMATCH;
                default:
                    break;
            }
            if (l == null || r == null) {
                return op.length() == 1 && "+-*/%".contains(op) ? null : false;
            }
            switch (op) {
                case "<", "<=", ">", ">=" -> {
                    int cmp;
                    if (l instanceof BigDecimal a && r instanceof BigDecimal b) {
                        cmp = a.compareTo(b);
                    } else if (l instanceof String a && r instanceof String b) {
                        cmp = a.compareTo(b);
                    } else {
                        throw MISMATCH;
                    }
                    return switch (op) {
                        case "<" -> cmp < 0;
                        case "<=" -> cmp <= 0;
                        case ">" -> cmp > 0;
                        default -> cmp >= 0;
                    };
                }
                case "+" -> {
                    if (l instanceof String || r instanceof String) {
                        if (l instanceof String a && r instanceof String b) {
                            return a + b;
                        }
                        throw MISMATCH;
                    }
                    return num(l).add(num(r));
                }
                case "-" -> {
                    return num(l).subtract(num(r));
                }
                case "*" -> {
                    return num(l).multiply(num(r));
                }
                case "/" -> {
                    BigDecimal d = num(r);
                    return d.signum() == 0 ? null : num(l).divide(d, DIVISION);
                }
                case "%" -> {
                    BigDecimal d = num(r);
                    return d.signum() == 0 ? null : num(l).remainder(d);
                }
                default -> throw new IllegalStateException(op);
            }
        }
    }

    record Call(String function, List<Node> args) implements Node {
        public Object eval(Context c) {
            List<Object> v = new ArrayList<>(args.size());
            for (Node n : args) {
                v.add(n.eval(c));
            }
            return Functions.apply(function, v);
        }
    }

    static final class Functions {
        /** name → allowed argument counts (min, max). */
        static final Map<String, int[]> ARITY = Map.ofEntries(
                Map.entry("floor", new int[]{1, 1}), Map.entry("ceil", new int[]{1, 1}),
                Map.entry("round", new int[]{1, 2}), Map.entry("abs", new int[]{1, 1}),
                Map.entry("min", new int[]{1, 16}), Map.entry("max", new int[]{1, 16}),
                Map.entry("len", new int[]{1, 1}), Map.entry("lower", new int[]{1, 1}),
                Map.entry("upper", new int[]{1, 1}), Map.entry("contains", new int[]{2, 2}),
                Map.entry("starts_with", new int[]{2, 2}), Map.entry("ends_with", new int[]{2, 2}),
                Map.entry("exists", new int[]{1, 1}), Map.entry("coalesce", new int[]{1, 16}));

        private Functions() {
        }

        static Object apply(String f, List<Object> a) {
            Object x = a.get(0);
            switch (f) {
                case "exists":
                    return x != null;
                case "coalesce":
                    for (Object o : a) {
                        if (o != null) {
                            return o;
                        }
                    }
                    return null;
                default:
                    break;
            }
            for (Object o : a) {
                if (o == null) {
                    return null;
                }
            }
            return switch (f) {
                case "floor" -> num(x).setScale(0, RoundingMode.FLOOR);
                case "ceil" -> num(x).setScale(0, RoundingMode.CEILING);
                case "round" -> num(x).setScale(a.size() > 1 ? scale(a.get(1)) : 0, RoundingMode.HALF_UP);
                case "abs" -> num(x).abs();
                case "min", "max" -> {
                    BigDecimal best = num(x);
                    for (Object o : a) {
                        BigDecimal n = num(o);
                        best = f.equals("min") ? best.min(n) : best.max(n);
                    }
                    yield best;
                }
                case "len" -> x instanceof String s ? BigDecimal.valueOf(s.codePointCount(0, s.length()))
                        : x instanceof Collection<?> l ? BigDecimal.valueOf(l.size()) : mismatch();
                case "lower" -> str(x).toLowerCase(Locale.ROOT);
                case "upper" -> str(x).toUpperCase(Locale.ROOT);
                case "contains" -> x instanceof Collection<?> l ? l.stream().anyMatch(o -> same(o, a.get(1)))
                        : str(x).contains(str(a.get(1)));
                case "starts_with" -> str(x).startsWith(str(a.get(1)));
                case "ends_with" -> str(x).endsWith(str(a.get(1)));
                default -> throw new IllegalStateException(f);
            };
        }

        private static int scale(Object o) {
            BigDecimal d = num(o);
            if (d.scale() > 0 && d.stripTrailingZeros().scale() > 0 || d.abs().compareTo(BigDecimal.valueOf(20)) > 0) {
                throw MISMATCH;
            }
            return d.intValue();
        }

        private static Object mismatch() {
            throw MISMATCH;
        }
    }

    static Object normalise(Object v) {
        if (v instanceof JsonNode j) {
            return j.isObject() ? j : fromJson(j);
        }
        if (v instanceof Number n && !(v instanceof BigDecimal)) {
            return new BigDecimal(n.toString());
        }
        return v;
    }

    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw MISMATCH;
    }

    static BigDecimal num(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        throw MISMATCH;
    }

    static String str(Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw MISMATCH;
    }
}
