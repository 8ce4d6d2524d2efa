package io.laurel.standalone;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the Prometheus text format ({@code GET /actuator/prometheus}) for assertions. */
final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    PrometheusText(String text) {
        this.text = text;
    }

    /** Every sample's metric name. */
    Set<String> names() {
        Set<String> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (!line.startsWith("#") && m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The sum of the samples of {@code metric} carrying every label of {@code labels}; null when there is none. */
    Double sum(String metric, Map<String, String> labels) {
        Double sum = null;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> have = labels(m.group(3));
            if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())))) {
                double v = Double.parseDouble(m.group(4));
                sum = sum == null ? v : sum + v;
            }
        }
        return sum;
    }

    /** {@link #sum}, 0 when there is no such sample. */
    double count(String metric, Map<String, String> labels) {
        Double s = sum(metric, labels);
        return s == null ? 0 : s;
    }

    static Map<String, String> labels(String inside) {
        Map<String, String> out = new LinkedHashMap<>();
        if (inside == null) {
            return out;
        }
        Matcher m = LABEL.matcher(inside);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
