package io.laurel.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code laurel ops recalc}: a recalculation of the key's tenant. Without a subcommand, a dry run over the
 * window given, followed to the end, then its totals and largest changes; {@code apply ID} posts its
 * adjustments and follows them into the journal; {@code changes ID [--csv]} lists every change.
 */
@Command(name = "recalc", mixinStandardHelpOptions = true, description = "Recalculate the key's tenant under the rules in effect now: a dry run "
        + "(totals, largest changes), then apply.",
        subcommands = {RecalcCommand.Apply.class, RecalcCommand.Changes.class, RecalcCommand.Discard.class})
final class RecalcCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    LaurelOps ops;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", paramLabel = "DATE", description = "First instant of the window: 2026-03-01 (UTC"
            + " midnight) or 2026-03-01T12:00:00Z. Default: the beginning.")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "End of the window (exclusive). Default: now.")
    String to;

    @Option(names = "--event-type", paramLabel = "T", description = "Only events of this type (repeatable).")
    List<String> eventTypes;

    @Option(names = "--user", paramLabel = "U", description = "Only this user's events (repeatable).")
    List<String> users;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Largest changes shown (default 10).")
    int top;

    @Option(names = "--no-wait", description = "Start the dry run and return at once.")
    boolean noWait;

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cl = spec.commandLine();
        if (top < 0 || top > 1000) {
            throw new CommandLine.ParameterException(cl, "--top must be 0 to 1000");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("from", instant(cl, "--from", from));
        body.put("to", instant(cl, "--to", to));
        putList(body, "event_types", eventTypes);
        putList(body, "user_ids", users);
        OpsApi api = ops.api(cl);
        PrintWriter out = cl.getOut();
        JsonNode started = api.post("/v1/ops/recalculations", body.toString());
        String id = started.path("id").asText();
        out.printf(Locale.ROOT, "recalculation %s started: dry run from %s to %s%n", id,
                started.path("from").asText("the beginning"), started.path("to").isNull() ? "now" : started.path("to").asText());
        out.flush();
        if (noWait) {
            out.println("follow it with GET /v1/ops/recalculations/" + id);
            out.flush();
            return 0;
        }
        JsonNode r = follow(api, id, Set.of("ready"), out);
        if (!"ready".equals(r.path("status").asText())) {
            return ended(out, id, r);
        }
        out.printf(Locale.ROOT, "dry run ready: %s events scanned, %s users and %s entries would change%n",
                Format.count(r.path("events_scanned").asLong()), Format.count(r.path("users_changed").asLong()),
                Format.count(r.path("entries_changed").asLong()));
        List<String[]> totals = new ArrayList<>();
        totals.add(new String[]{"CURRENCY", "GAINED", "LOST", "NET"});
        for (JsonNode t : r.path("totals")) {
            totals.add(new String[]{t.path("currency").asText(), Format.count(t.path("points_gained").asLong()),
                    Format.count(t.path("points_lost").asLong()), signed(t.path("net").asLong())});
        }
        if (totals.size() > 1) {
            out.print(Format.table(totals));
        }
        if (top > 0 && r.path("users_changed").asLong() > 0) {
            JsonNode changes = api.get("/v1/ops/recalculations/" + id + "/changes?limit=" + top);
            out.printf(Locale.ROOT, "largest changes (all of them: laurel ops recalc changes %s [--csv]):%n", id);
            out.print(changesTable(changes.path("changes")));
        }
        if (r.path("entries_changed").asLong() > 0) {
            out.printf(Locale.ROOT, "apply it with: laurel ops recalc apply %s   (discard: laurel ops recalc discard %s)%n",
                    id, id);
        } else {
            out.println("nothing to change");
        }
        out.flush();
        return 0;
    }

    static String changesTable(JsonNode changes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"USER", "CURRENCY", "BEFORE", "AFTER", "DELTA"});
        for (JsonNode c : changes) {
            rows.add(new String[]{c.path("user_id").asText(), c.path("currency").asText(),
                    Format.count(c.path("before").asLong()), Format.count(c.path("after").asLong()),
                    signed(c.path("delta").asLong())});
        }
        return Format.table(rows);
    }

    static String signed(long n) {
        return (n > 0 ? "+" : "") + Format.count(n);
    }

    private static void putList(ObjectNode body, String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            body.putNull(field);
        } else {
            ArrayNode a = body.putArray(field);
            values.forEach(a::add);
        }
    }

    /** An ISO instant, or a date taken as its UTC midnight; null stays null. */
    static String instant(CommandLine cl, String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).toString();
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(cl, option + " must be a date (2026-03-01) or an instant "
                        + "(2026-03-01T12:00:00Z): " + value);
            }
        }
    }

    /** Polls the recalculation until its status is one of {@code until} (or it ended otherwise), showing progress. */
    JsonNode follow(OpsApi api, String id, Set<String> until, PrintWriter out) throws InterruptedException {
        return Progress.follow(api, "/v1/ops/recalculations/" + id, r -> until.contains(r.path("status").asText())
                        || Set.of("failed", "cancelled", "applied").contains(r.path("status").asText()), RecalcCommand::line,
                ops.liveProgress(), ops.pollEvery, out);
    }

    /** One progress line of a recalculation: what it is doing, how far, how fast, and the estimate. */
    static String line(JsonNode r, boolean bar) {
        String status = r.path("status").asText();
        double progress = r.path("progress").isNumber() ? r.get("progress").asDouble() : 0;
        String rate = r.path("records_per_second").isNumber()
                ? Format.count(Math.round(r.get("records_per_second").asDouble())) + "/s" : "rate unknown";
        Long eta = r.path("eta_seconds").isNumber() ? r.get("eta_seconds").asLong() : null;
        String what = "applying".equals(status) || "applied".equals(status)
                ? Format.count(r.path("events_applied").asLong()) + " of " + Format.count(r.path("events_changed").asLong())
                + " events adjusted"
                : Format.count(r.path("events_scanned").asLong()) + " events scanned";
        String head = bar ? Format.bar(progress, 30)
                : String.format(Locale.ROOT, "%s %d%%", status, (int) Math.floor(progress * 100));
        return String.format(Locale.ROOT, "%s  %s, %s, eta %s%s", head, what, rate, Format.duration(eta),
                bar ? "  " + status : "");
    }

    static int ended(PrintWriter out, String id, JsonNode r) {
        out.printf(Locale.ROOT, "recalculation %s %s%s%n", id, r.path("status").asText(),
                r.hasNonNull("error") ? ": " + r.get("error").asText() : "");
        out.flush();
        return LaurelOps.FAILED;
    }

    /** A subcommand about one recalculation, named by its ID. */
    abstract static class OnOne implements Callable<Integer> {
        @ParentCommand
        RecalcCommand recalc;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The recalculation.")
        String id;

        OpsApi api() {
            return recalc.ops.api(spec.commandLine());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Post a ready recalculation's adjustments to the journal and wait until"
            + " they are in it.")
    static final class Apply extends OnOne {

        @Option(names = "--no-wait", description = "Start applying and return at once.")
        boolean noWait;

        @Override
        public Integer call() throws InterruptedException {
            OpsApi api = api();
            PrintWriter out = out();
            JsonNode r = api.post("/v1/ops/recalculations/" + id + "/apply", "{}");
            out.printf(Locale.ROOT, "recalculation %s %s: %s adjusted entries for %s events%n", id,
                    r.path("status").asText(), Format.count(r.path("entries_changed").asLong()),
                    Format.count(r.path("events_changed").asLong()));
            out.flush();
            if (noWait) {
                return 0;
            }
            JsonNode done = recalc.follow(api, id, Set.of("applied"), out);
            if (!"applied".equals(done.path("status").asText())) {
                return ended(out, id, done);
            }
            out.printf(Locale.ROOT, "recalculation %s applied: every adjustment is in the journal%n", id);
            out.flush();
            return 0;
        }
    }

    @Command(name = "changes", mixinStandardHelpOptions = true, description = "Every change of a recalculation, largest first (a table, or CSV).")
    static final class Changes extends OnOne {

        @Option(names = "--csv", description = "CSV (user_id,currency,before,after,delta), every change.")
        boolean csv;

        @Option(names = "--sort", paramLabel = "S", defaultValue = "abs_delta",
                description = "abs_delta (default), delta, before, after, user_id or currency.")
        String sort;

        @Override
        public Integer call() {
            OpsApi api = api();
            PrintWriter out = out();
            String path = "/v1/ops/recalculations/" + id + "/changes?sort=" + java.net.URLEncoder.encode(sort,
                    java.nio.charset.StandardCharsets.UTF_8);
            if (csv) {
                out.print(api.text(path, "text/csv"));
            } else {
                List<JsonNode> all = new ArrayList<>();
                for (int offset = 0; ; offset += 1000) {
                    JsonNode page = api.get(path + "&limit=1000&offset=" + offset).path("changes");
                    page.forEach(all::add);
                    if (page.size() < 1000) {
                        break;
                    }
                }
                out.print(changesTable(JSON.valueToTree(all)));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true, description = "Discard a recalculation that is not applied.")
    static final class Discard extends OnOne {

        @Override
        public Integer call() {
            JsonNode r = api().delete("/v1/ops/recalculations/" + id);
            out().printf(Locale.ROOT, "recalculation %s %s%n", id, r.path("status").asText());
            out().flush();
            return 0;
        }
    }
}
