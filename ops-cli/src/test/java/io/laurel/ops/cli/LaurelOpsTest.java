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
}
