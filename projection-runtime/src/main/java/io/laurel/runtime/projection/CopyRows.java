package io.laurel.runtime.projection;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Streams rows into a table with {@code COPY … FROM STDIN (FORMAT csv)} through the PostgreSQL driver's copy API:
 * the cheapest way to append many rows (no statement per row, no array literals to parse). Each row is written
 * by the caller into a {@link StringBuilder} with {@link #text}, separated by commas and ended by a newline.
 */
public final class CopyRows {
    private static final int CHUNK = 1 << 16;

    private CopyRows() {
    }

    /**
     * Streams {@code rows} into {@code sql} (a {@code COPY … FROM STDIN} in CSV), each written by {@code row};
     * returns the number of rows PostgreSQL reports copied.
     */
    public static <T> long copy(Connection c, String sql, Iterable<T> rows, BiConsumer<StringBuilder, T> row)
            throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            StringBuilder b = new StringBuilder(CHUNK + 1024);
            for (T t : rows) {
                row.accept(b, t);
                if (b.length() > CHUNK) {
                    flush(copy, b);
                }
            }
            flush(copy, b);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Appends a CSV field: {@code null} as an empty field (NULL), anything else quoted (so "" is the empty string). */
    public static StringBuilder text(StringBuilder b, String value) {
        if (value == null) {
            return b;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') {
                b.append('"');
            }
            b.append(ch);
        }
        return b.append('"');
    }

    /** Appends a {@code text[]} field, e.g. {@code "{""a"",""b""}"}. */
    public static StringBuilder textArray(StringBuilder b, List<String> values) {
        return values == null ? b : text(b, arrayLiteral(values));
    }

    /**
     * The {@code text[]} literal of {@code values}, e.g. {@code {"a","b"}}: for one row of an {@code unnest} of
     * {@code text[]} literals cast back with {@code ::text[]} (arrays of arrays must be rectangular), or a COPY.
     */
    public static String arrayLiteral(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"');
            String v = values.get(i);
            for (int k = 0; k < v.length(); k++) {
                char ch = v.charAt(k);
                if (ch == '"' || ch == '\\') {
                    literal.append('\\');
                }
                literal.append(ch);
            }
            literal.append('"');
        }
        return literal.append('}').toString();
    }

    private static void flush(CopyIn copy, StringBuilder b) throws SQLException {
        if (!b.isEmpty()) {
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            b.setLength(0);
        }
    }
}
