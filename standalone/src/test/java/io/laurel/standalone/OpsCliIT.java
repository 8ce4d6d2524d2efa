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

    @Test
    void recalcShowsTheDryRunAppliesItAndListsItsChanges() {
        String key = tenantWithKey("clirecalc", List.of("events:write", "catalog:write", "catalog:read", "points:read",
                "ops"));
        postJson(key, "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        String rule = postJson(key, "/v1/admin/rules", "{\"name\":\"visits\",\"event_type\":\"visit\",\"points\":5}", 201)
                .get("id").asText();
        for (String user : List.of("ann", "ann", "bob")) {
            postJson(key, "/v1/events", "{\"event_type\":\"visit\",\"user_id\":\"" + user
                    + "\",\"occurred_at\":\"2026-04-02T10:00:00Z\"}", 202);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(key, "/v1/users/bob/points", 200).at("/balances/0/earned").asLong() == 5
                        && getJson(key, "/v1/users/ann/points", 200).at("/balances/0/earned").asLong() == 10);
        putJson(key, "/v1/admin/rules/" + rule, "{\"name\":\"visits\",\"event_type\":\"visit\",\"points\":8}", 200);

        Result dry = cli(key, "recalc", "--from", "2026-04-01", "--event-type", "visit", "--progress=plain");
        assertThat(dry.code()).as(dry.err()).isZero();
        List<String> lines = dry.lines();
        assertThat(lines.get(0)).matches("recalculation [0-9a-f-]{36} started: dry run from 2026-04-01T00:00:00Z to now");
        String id = lines.get(0).split(" ")[1];
        assertThat(lines).contains("dry run ready: 3 events scanned, 2 users and 3 entries would change");
        // ann: 2 x (8 - 5) = +6 (10 -> 16); bob: +3 (5 -> 8)
        int totals = lines.indexOf("CURRENCY  GAINED  LOST  NET");
        assertThat(totals).isPositive();
        assertThat(lines.get(totals + 1)).isEqualTo("points    9       0     +9");
        int table = lines.indexOf("USER  CURRENCY  BEFORE  AFTER  DELTA");
        assertThat(lines.get(table + 1)).isEqualTo("ann   points    10      16     +6");
        assertThat(lines.get(table + 2)).isEqualTo("bob   points    5       8      +3");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("apply it with: laurel ops recalc apply " + id
                + "   (discard: laurel ops recalc discard " + id + ")");

        Result csv = cli(key, "recalc", "changes", id, "--csv");
        assertThat(csv.code()).isZero();
        assertThat(csv.out()).isEqualTo("user_id,currency,before,after,delta\nann,points,10,16,6\nbob,points,5,8,3\n");
        Result bySort = cli(key, "recalc", "changes", id, "--sort", "user_id");
        assertThat(bySort.lines().get(1)).startsWith("ann");

        Result busy = cli(key, "recalc");
        assertThat(busy.code()).isEqualTo(1);
        assertThat(busy.err().strip()).startsWith("laurel ops: 409 RECALCULATION_IN_PROGRESS: ").doesNotContain("\n");

        Result applied = cli(key, "recalc", "apply", id, "--progress=plain");
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.lines().get(0)).isIn("recalculation " + id + " applying: 3 adjusted entries for 3 events",
                "recalculation " + id + " applied: 3 adjusted entries for 3 events");
        assertThat(applied.lines().get(applied.lines().size() - 1))
                .isEqualTo("recalculation " + id + " applied: every adjustment is in the journal");
        assertThat(getJson(key, "/v1/users/ann/points", 200).at("/balances/0/earned").asLong()).isEqualTo(16);

        Result gone = cli(key, "recalc", "discard", id);
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("409 RECALCULATION_APPLIED");
        assertThat(cli(key, "recalc", "apply", "not-an-id").err()).contains("404 RECALCULATION_NOT_FOUND");
    }
}
