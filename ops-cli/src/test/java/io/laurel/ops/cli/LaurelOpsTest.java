package io.laurel.ops.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage, keys and exit codes, without a server (the CLI against a running platform: OpsCliIT). */
class LaurelOpsTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LaurelOps.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env, Duration.ofMillis(10));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void noCommandIsBadUsage() {
        Result r = run(Map.of());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Name a command");
    }

    @Test
    void anUnknownCommandOrOptionIsBadUsageWithTheUsage() {
        Result r = run(Map.of(), "explode");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument").contains("Usage: laurel ops");
        assertThat(run(Map.of(), "status", "--colour").code()).isEqualTo(2);
        assertThat(run(Map.of(), "rebuild").code()).as("rebuild needs a NAME").isEqualTo(2);
    }

    @Test
    void helpIsNotAnError() {
        Result r = run(Map.of(), "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("status").contains("rebuild").contains("Exit codes: 0 done, 1 failed, 2 bad usage.");
    }

    @Test
    void withoutAKeyItSaysWhereItLooked() {
        Result r = run(Map.of("LAUREL_DATA_DIR", dir.toString()), "status");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("No API key").contains(dir.resolve("admin-key").toString());
    }

    @Test
    void aBadUrlIsBadUsage() {
        assertThat(run(Map.of("LAUREL_KEY", "k"), "status", "--url", "ftp://x").code()).isEqualTo(2);
        assertThat(run(Map.of("LAUREL_KEY", "k"), "status", "--url", "not a url").code()).isEqualTo(2);
    }

    @Test
    void theStandalonesKeyFileIsFoundAndAnUnreachablePlatformFailsWithOneLine() throws IOException {
        Files.writeString(dir.resolve("admin-key"), "lrl_from_file\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Result r = run(Map.of("LAUREL_DATA_DIR", dir.toString(), "LAUREL_URL", "http://localhost:" + port), "status");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("laurel ops: cannot reach Laurel at http://localhost:" + port)
                .doesNotContain("\n");
    }

    @Test
    void recalcChecksItsOptionsBeforeCallingAnything() {
        Map<String, String> env = Map.of("LAUREL_KEY", "k", "LAUREL_URL", "http://localhost:1");
        Result badDate = run(env, "recalc", "--from", "March");
        assertThat(badDate.code()).isEqualTo(2);
        assertThat(badDate.err()).contains("--from must be a date (2026-03-01) or an instant");
        assertThat(run(env, "recalc", "--top", "-1").code()).isEqualTo(2);
        assertThat(run(env, "recalc", "apply").code()).as("apply needs an ID").isEqualTo(2);
        assertThat(run(env, "recalc", "changes").code()).as("changes needs an ID").isEqualTo(2);
        assertThat(run(env, "recalc", "--help").out()).contains("apply").contains("changes").contains("--event-type");
    }

    @Test
    void datesAreUtcMidnightsAndInstantsStayAsGiven() {
        picocli.CommandLine cl = new picocli.CommandLine(new LaurelOps(Map.of(), Duration.ZERO));
        assertThat(RecalcCommand.instant(cl, "--from", "2026-03-01")).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(RecalcCommand.instant(cl, "--from", "2026-03-01T12:30:00Z")).isEqualTo("2026-03-01T12:30:00Z");
        assertThat(RecalcCommand.instant(cl, "--from", null)).isNull();
    }

    @Test
    void recalcProgressLinesSayWhatItIsDoing() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(RecalcCommand.line(json.readTree("{\"status\":\"running\",\"progress\":0.425,"
                + "\"events_scanned\":12000,\"records_per_second\":91000.4,\"eta_seconds\":75}"), false))
                .isEqualTo("running 42%  12,000 events scanned, 91,000/s, eta 1 min 15 s");
        assertThat(RecalcCommand.line(json.readTree("{\"status\":\"applying\",\"progress\":0.5,"
                + "\"events_applied\":50,\"events_changed\":100,\"records_per_second\":null,\"eta_seconds\":null}"), true))
                .isEqualTo("[###############---------------]  50%  50 of 100 events adjusted, rate unknown, eta unknown  applying");
        assertThat(RecalcCommand.signed(1500)).isEqualTo("+1,500");
        assertThat(RecalcCommand.signed(-3)).isEqualTo("-3");
        assertThat(RecalcCommand.signed(0)).isEqualTo("0");
    }
}
