package io.laurel.events.expression;

import io.laurel.events.expression.Expression.Node;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser of the expression language; see {@link Expression}. */
final class Parser {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "true", "false", "null");

    private enum Kind { NUMBER, STRING, NAME, SYMBOL, END }

    private record Token(Kind kind, String text, int at) {
        boolean is(String s) {
            return (kind == Kind.SYMBOL || kind == Kind.NAME) && text.equals(s);
        }
    }

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int next;
    private int depth;

    Parser(String src) {
        this.src = src;
        tokenize();
    }

    Node parseAll() {
        Node n = or();
        Token t = peek();
        if (t.kind != Kind.END) {
            throw new ExpressionException("unexpected '" + t.text + "'", t.at);
        }
        return n;
    }

    // ------------------------------------------------------------------ grammar

    private Node or() {
        Node left = and();
        while (peek().is("||") || peek().is("or")) {
            next++;
            left = new Expression.Or(left, and());
        }
        return left;
    }

    private Node and() {
        Node left = equality();
        while (peek().is("&&") || peek().is("and")) {
            next++;
            left = new Expression.And(left, equality());
        }
        return left;
    }

    private Node equality() {
        Node left = comparison();
        while (peek().is("==") || peek().is("!=")) {
            String op = tokens.get(next++).text;
            left = new Expression.Binary(op, left, comparison());
        }
        if (peek().is("=")) {
            throw new ExpressionException("'=' is not an operator: compare with '=='", peek().at);
        }
        return left;
    }

    private Node comparison() {
        Node left = membership();
        while (peek().is("<") || peek().is("<=") || peek().is(">") || peek().is(">=")) {
            String op = tokens.get(next++).text;
            left = new Expression.Binary(op, left, membership());
        }
        return left;
    }

    private Node membership() {
        Node left = additive();
        if (peek().is("in")) {
            next++;
            return new Expression.Binary("in", left, additive());
        }
        if (peek().is("not") && next + 1 < tokens.size() && tokens.get(next + 1).is("in")) {
            next += 2;
            return new Expression.Not(new Expression.Binary("in", left, additive()));
        }
        return left;
    }

    private Node additive() {
        Node left = multiplicative();
        while (peek().is("+") || peek().is("-")) {
            String op = tokens.get(next++).text;
            left = new Expression.Binary(op, left, multiplicative());
        }
        return left;
    }

    private Node multiplicative() {
        Node left = unary();
        while (peek().is("*") || peek().is("/") || peek().is("%")) {
            String op = tokens.get(next++).text;
            left = new Expression.Binary(op, left, unary());
        }
        return left;
    }

    private Node unary() {
        Token t = peek();
        if (++depth > Expression.MAX_DEPTH) {
            throw new ExpressionException("the expression nests deeper than " + Expression.MAX_DEPTH + " levels", t.at);
        }
        try {
            if (t.is("!") || t.is("not")) {
                next++;
                return new Expression.Not(unary());
            }
            if (t.is("-")) {
                next++;
                return new Expression.Negate(unary());
            }
            return postfix();
        } finally {
            depth--;
        }
    }

    private Node postfix() {
        Node n = primary();
        while (peek().is(".")) {
            next++;
            Token name = tokens.get(next);
            if (name.kind != Kind.NAME) {
                throw new ExpressionException("expected a field name after '.'", name.at);
            }
            next++;
            n = new Expression.Field(n, name.text);
        }
        return n;
    }

    private Node primary() {
        Token t = tokens.get(next);
        switch (t.kind) {
            case NUMBER -> {
                next++;
                return new Expression.Literal(new BigDecimal(t.text));
            }
            case STRING -> {
                next++;
                return new Expression.Literal(t.text);
            }
            case END -> throw new ExpressionException("the expression ends too early", t.at);
            default -> {
            }
        }
        if (t.is("(")) {
            next++;
            Node n = or();
            expect(")");
            return n;
        }
        if (t.is("[")) {
            next++;
            List<Node> items = new ArrayList<>();
            if (!peek().is("]")) {
                do {
                    items.add(or());
                } while (accept(","));
            }
            expect("]");
            return new Expression.ListNode(items);
        }
        if (t.kind == Kind.NAME) {
            next++;
            switch (t.text) {
                case "true":
                    return new Expression.Literal(true);
                case "false":
                    return new Expression.Literal(false);
                case "null":
                    return new Expression.Literal(null);
                default:
                    break;
            }
            if (KEYWORDS.contains(t.text)) {
                throw new ExpressionException("unexpected '" + t.text + "'", t.at);
            }
            if (peek().is("(")) {
                int[] arity = Expression.Functions.ARITY.get(t.text);
                if (arity == null) {
                    throw new ExpressionException("unknown function '" + t.text + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(Expression.Functions.ARITY.keySet())) + ")", t.at);
                }
                next++;
                List<Node> args = new ArrayList<>();
                if (!peek().is(")")) {
                    do {
                        args.add(or());
                    } while (accept(","));
                }
                expect(")");
                if (args.size() < arity[0] || args.size() > arity[1]) {
                    throw new ExpressionException(t.text + "() takes " + (arity[0] == arity[1] ? arity[0]
                            : arity[0] + " to " + arity[1]) + " argument(s), not " + args.size(), t.at);
                }
                return new Expression.Call(t.text, List.copyOf(args));
            }
            return new Expression.Variable(t.text);
        }
        throw new ExpressionException("unexpected '" + t.text + "'", t.at);
    }

    private boolean accept(String symbol) {
        if (peek().is(symbol)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        Token t = peek();
        if (!t.is(symbol)) {
            throw new ExpressionException("expected '" + symbol + "'"
                    + (t.kind == Kind.END ? " before the end" : " but found '" + t.text + "'"), t.at);
        }
        next++;
    }

    private Token peek() {
        return tokens.get(next);
    }

    // ------------------------------------------------------------------ tokens

    private void tokenize() {
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(src.charAt(i + 1)))) {
                int start = i;
                while (i < n && Character.isDigit(src.charAt(i))) {
                    i++;
                }
                if (i < n && src.charAt(i) == '.' && i + 1 < n && Character.isDigit(src.charAt(i + 1))) {
                    i++;
                    while (i < n && Character.isDigit(src.charAt(i))) {
                        i++;
                    }
                }
                if (i < n && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
                    int e = i + 1;
                    if (e < n && (src.charAt(e) == '+' || src.charAt(e) == '-')) {
                        e++;
                    }
                    if (e < n && Character.isDigit(src.charAt(e))) {
                        i = e;
                        while (i < n && Character.isDigit(src.charAt(i))) {
                            i++;
                        }
                    }
                }
                String text = src.substring(start, i);
                if (new BigDecimal(text).abs().compareTo(new BigDecimal("1e30")) > 0
                        || Math.abs(new BigDecimal(text).scale()) > 30) {
                    throw new ExpressionException("number out of range: " + text, start);
                }
                tokens.add(new Token(Kind.NUMBER, text, start));
            } else if (c == '\'' || c == '"') {
                int start = i++;
                StringBuilder b = new StringBuilder();
                while (true) {
                    if (i >= n) {
                        throw new ExpressionException("unterminated string", start);
                    }
                    char d = src.charAt(i++);
                    if (d == c) {
                        break;
                    }
                    if (d == '\\' && i < n) {
                        char e = src.charAt(i++);
                        b.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e;
                        });
                    } else {
                        b.append(d);
                    }
                }
                tokens.add(new Token(Kind.STRING, b.toString(), start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(Kind.NAME, src.substring(start, i), start));
            } else {
                String two = i + 1 < n ? src.substring(i, i + 2) : "";
                if (Set.of("&&", "||", "==", "!=", "<=", ">=").contains(two)) {
                    tokens.add(new Token(Kind.SYMBOL, two, i));
                    i += 2;
                } else if ("+-*/%<>!()[],.=".indexOf(c) >= 0) {
                    tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw new ExpressionException("unexpected character '" + c + "'", i);
                }
            }
        }
        tokens.add(new Token(Kind.END, "end", n));
    }
}
