package io.laurel.standalone;

import io.laurel.ops.cli.LaurelOps;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./laurel ops} against the running platform: its plain output and its exit codes. */
class OpsCliIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, OpsCliIT.class);
    }

    private record Result(int code, String out, String err) {
        List<String> lines() {
            return Arrays.asList(out.split("\n"));
        }
    }

    private Result cli(String key, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LaurelOps.run(args, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("LAUREL_URL", "http://localhost:" + port, "LAUREL_KEY", key), Duration.ofMillis(200));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void statusListsEveryProjectionWithItsService() {
        Result r = cli(ADMIN_KEY, "status");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.lines().get(0)).startsWith("PROJECTION").contains("SERVICE").contains("GENERATION")
                .contains("STATUS").contains("LAG");
        assertThat(r.lines()).hasSize(7);
        assertThat(r.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("scoring", "scoring", "1"));
        assertThat(r.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("notifications", "badge", "1"));
        assertThat(r.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("leaderboards", "leaderboard"));
        assertThat(r.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("event_log", "ingest"));
    }

    @Test
    void rebuildWaitsWithPlainProgressLinesAndEndsLive() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"cli_done\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"1 each\",\"event_type\":\"cli_done\",\"points\":1}", 201);
        for (int i = 0; i < 20; i++) {
            postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"cli_done\",\"user_id\":\"u" + i + "\"}", 202);
        }
        Result r = cli(ADMIN_KEY, "rebuild", "event_log", "--wait", "--progress=plain");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.lines().get(0)).matches("rebuild [0-9a-f-]{36} of event_log started: generation 2, switch auto");
        assertThat(r.lines()).as("plain progress lines, never a carriage return").noneMatch(l -> l.contains("\r"));
        assertThat(r.lines()).anyMatch(l -> l.matches("(running|switching|completed) \\d+%  [\\d,]+ .*records.*eta .*"));
        assertThat(r.lines().get(r.lines().size() - 1))
                .matches("rebuild [0-9a-f-]{36} completed: generation 2 of event_log is live \\([\\d,]+ records replayed\\)");
        assertThat(getJson(ADMIN_KEY, "/v1/ops/projections/event_log", 200).get("generation").asInt()).isEqualTo(2);

        Result manual = cli(ADMIN_KEY, "rebuild", "event_log", "--manual", "--wait", "--progress=plain");
        assertThat(manual.code()).as(manual.err()).isZero();
        assertThat(manual.lines().get(manual.lines().size() - 1)).contains("is ready: generation 3 has caught up");
        String id = manual.lines().get(0).split(" ")[1];
        client().delete().uri("/v1/ops/rebuilds/" + id).header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().isOk();
    }

    @Test
    void errorsAreTheApisProblemInOneLineWithExitCode1() {
        Result unknown = cli(ADMIN_KEY, "rebuild", "nope");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).startsWith("laurel ops: 404 PROJECTION_NOT_FOUND: ").doesNotContain("\n");

        String tenantOps = tenantWithKey("clico", List.of("ops"));
        Result forbidden = cli(tenantOps, "status");
        assertThat(forbidden.code()).isEqualTo(1);
        assertThat(forbidden.err().strip()).startsWith("laurel ops: 403 INSUFFICIENT_SCOPE: Platform operations");
        assertThat(cli("lrl_not_a_key", "status").err()).contains("401");

        Result usage = cli(ADMIN_KEY, "rebuild", "event_log", "--wait", "--progress=sideways");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("--progress");
    }
}
