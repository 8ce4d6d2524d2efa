package io.laurel.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code laurel ops rebuild NAME [--manual] [--wait]}: starts a rebuild of one projection into a new
 * generation; with {@code --wait}, follows it to the end with a live bar (on a terminal) or a plain line
 * every few seconds, and exits 0 when it completed (or, manual, is ready to switch), 1 when it failed.
 */
@Command(name = "rebuild", description = "Rebuild a projection into a new generation, from offset 0.")
final class RebuildCommand implements Callable<Integer> {
    private static final Set<String> ENDED = Set.of("completed", "failed", "cancelled");

    @ParentCommand
    LaurelOps ops;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The projection (see 'laurel ops status').")
    String name;

    @Option(names = "--manual", description = "Wait, caught up, for a switch instead of going live by itself.")
    boolean manual;

    @Option(names = "--wait", description = "Follow the rebuild until it ends, with progress.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
        OpsApi api = ops.api(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        JsonNode started = api.post("/v1/ops/projections/" + name + "/rebuild",
                "{\"switch\":\"" + (manual ? "manual" : "auto") + "\"}");
        String id = started.path("id").asText();
        out.printf(Locale.ROOT, "rebuild %s of %s started: generation %d, switch %s%n", id, name,
                started.path("generation").asInt(), manual ? "manual" : "auto");
        out.flush();
        if (!await) {
            out.println("follow it with: laurel ops rebuild ... --wait, or GET /v1/ops/rebuilds/" + id);
            out.flush();
            return 0;
        }
        JsonNode r = Progress.follow(api, "/v1/ops/rebuilds/" + id, a -> ENDED.contains(a.path("status").asText())
                        || (manual && "ready".equals(a.path("status").asText())), RebuildCommand::line,
                ops.liveProgress(), ops.pollEvery, out);
        return finish(out, r, r.path("status").asText(), id);
    }

    private int finish(PrintWriter out, JsonNode r, String status, String id) {
        switch (status) {
            case "completed" -> out.printf(Locale.ROOT, "rebuild %s completed: generation %d of %s is live "
                            + "(%s records replayed)%n", id, r.path("generation").asInt(), name,
                    Format.count(r.path("records_processed").asLong()));
            case "ready" -> out.printf(Locale.ROOT, "rebuild %s is ready: generation %d has caught up; make it live "
                    + "with POST /v1/ops/rebuilds/%s/switch, or discard it with DELETE%n", id,
                    r.path("generation").asInt(), id);
            default -> {
                out.printf(Locale.ROOT, "rebuild %s %s%s%n", id, status,
                        r.hasNonNull("error") ? ": " + r.get("error").asText() : "");
                out.flush();
                return LaurelOps.FAILED;
            }
        }
        out.flush();
        return 0;
    }

    /** One progress line: status, bar or percent, records, rate and the estimate. */
    static String line(JsonNode r, boolean bar) {
        double progress = r.path("progress").isNumber() ? r.get("progress").asDouble() : 0;
        String rate = r.path("records_per_second").isNumber()
                ? Format.count(Math.round(r.get("records_per_second").asDouble())) + " records/s" : "rate unknown";
        Long eta = r.path("eta_seconds").isNumber() ? r.get("eta_seconds").asLong() : null;
        String total = r.path("records_total").isNumber() ? " of " + Format.count(r.get("records_total").asLong()) : "";
        String head = bar ? Format.bar(progress, 30)
                : String.format(Locale.ROOT, "%s %d%%", r.path("status").asText(), (int) Math.floor(progress * 100));
        return String.format(Locale.ROOT, "%s  %s%s records, %s, eta %s%s", head,
                Format.count(r.path("records_processed").asLong()), total, rate, Format.duration(eta),
                bar ? "  " + r.path("status").asText() : "");
    }
}
