package io.laurel.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code laurel ops status}: every projection's service, generation, status and lag, as a table. */
@Command(name = "status", description = "A table of every projection: service, generation, status, lag.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    LaurelOps ops;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode doc = ops.api(spec.commandLine()).get("/v1/ops/projections");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"PROJECTION", "SERVICE", "GENERATION", "STATUS", "LAG", "RECORDS", "DEAD-LETTERED",
                "REBUILD"});
        for (JsonNode p : doc.path("projections")) {
            JsonNode rebuild = p.path("rebuild");
            String rebuilding = rebuild.isObject() && rebuild.hasNonNull("status")
                    ? rebuild.get("status").asText() + " g" + rebuild.path("generation").asInt()
                    + percent(rebuild.path("progress")) : "-";
            rows.add(new String[]{p.path("name").asText(), p.path("service").asText("-"),
                    Integer.toString(p.path("generation").asInt()), p.path("status").asText(),
                    Format.count(p.path("lag").asLong()), Format.count(p.path("records_processed").asLong()),
                    Format.count(p.path("dead_lettered").asLong()), rebuilding});
        }
        spec.commandLine().getOut().print(Format.table(rows));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static String percent(JsonNode progress) {
        return progress.isNumber() ? " " + Math.round(progress.asDouble() * 100) + "%" : "";
    }
}
