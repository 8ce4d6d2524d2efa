package io.laurel.events.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads and writes {@link Instant}s as ISO-8601 UTC text ({@code 2026-05-01T10:00:00.123Z}) without going
 * through {@code DateTimeFormatter}, which every fold of the log would otherwise pay for on every record.
 * Output is exactly {@code DateTimeFormatter.ISO_INSTANT}'s (fractions in groups of three digits); input in
 * that shape takes the fast path, anything else (offsets, numbers) goes to Jackson's own deserializer.
 */
public final class IsoInstants {
    private IsoInstants() {
    }

    public static SimpleModule module() {
        return new SimpleModule("laurel-iso-instants")
                .addSerializer(Instant.class, new Serializer())
                .addDeserializer(Instant.class, new Deserializer());
    }

    /** {@code DateTimeFormatter.ISO_INSTANT.format(instant)}, faster. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(days);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return instant.toString();
        }
        StringBuilder b = new StringBuilder(30);
        pad(b, year, 4).append('-');
        pad(b, date.getMonthValue(), 2).append('-');
        pad(b, date.getDayOfMonth(), 2).append('T');
        pad(b, secondOfDay / 3600, 2).append(':');
        pad(b, secondOfDay / 60 % 60, 2).append(':');
        pad(b, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos > 0) {
            b.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(b, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                pad(b, nanos / 1000, 6);
            } else {
                pad(b, nanos, 9);
            }
        }
        return b.append('Z').toString();
    }

    /**
     * Parses {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}; null when the text has another shape (the caller then
     * falls back to a full parser) or names an impossible date or time.
     */
    public static Instant parseOrNull(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':' || s.charAt(16) != ':' || (s.charAt(n - 1) != 'Z' && s.charAt(n - 1) != 'z')) {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int f = digits(s, 20, fraction);
            if (f < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                f *= 10;
            }
            nanos = f;
        } else if (s.charAt(19) != 'Z' && s.charAt(19) != 'z') {
            return null;
        }
        if (day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }

    static final class Serializer extends StdScalarSerializer<Instant> {
        Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }

    static final class Deserializer extends StdScalarDeserializer<Instant> {
        Deserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = parseOrNull(p.getText().trim());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }
}
