package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard under {@code deploy/grafana}: its PromQL queries and the metrics they name. */
record GrafanaDashboard(JsonNode json) {
    /** A metric in a query is written with its label matchers: {@code name{…}}. */
    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    static GrafanaDashboard read(Path file) {
        try {
            return new GrafanaDashboard(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new AssertionError("not a readable dashboard: " + file, e);
        }
    }

    /** Every panel's queries. */
    List<String> queries() {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.path("expr").asText());
            }
        }
        return out;
    }

    static Set<String> metrics(String query) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(query);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
