package io.laurel.standalone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./laurel} (the script and the executable jar, as a user starts it), killed with SIGKILL: its PostgreSQL does not outlive it (a watchdog stops it); a
 * server of the same data directory that was left running anyway (its watchdog killed too) is stopped by the next
 * start, which then serves the same data; and a standalone on another data directory refuses to start on the
 * port that server holds, with a message saying so, instead of writing into the other directory's database. The
 * README's Java client example runs against it, and SIGTERM (Ctrl-C) stops it with its database.
 */
class StandaloneOwnsItsDatabaseIT {
    private static final String KEY = "lrl_owns_its_db_key_0123456789";
    private final List<Process> started = new ArrayList<>();
    private final int pgPort = PlatformClient.freePort();

    @TempDir
    Path tmp;

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        // whatever the test left: no server of its data directories may stay behind
        for (String d : List.of("a", "b")) {
            EmbeddedPostgresServer.postmasterPid(tmp.resolve(d).resolve("postgres").resolve("data"))
                    .flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aKilledStandaloneLeavesNoDatabaseServerBehindAndOwnsItsPort() throws Exception {
        Path a = tmp.resolve("a");
        Child first = start(a);
        long pg = postgresPid(a);
        assertThat(ProcessHandle.of(pg)).isPresent();
        first.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(pg).map(p -> !p.isAlive()).orElse(true));

        // a server left running anyway (its watchdog killed with the JVM) is stopped by the next start
        Child second = start(a);
        long leftover = postgresPid(a);
        http(second.port(), "POST", "/v1/admin/tenants", "{\"id\":\"kept\",\"name\":\"Kept\"}", 201);
        for (ProcessHandle child : second.process().toHandle().descendants().toList()) {
            if (child.pid() != leftover && child.info().command().map(c -> !c.contains("postgres")).orElse(true)) {
                child.destroyForcibly();
            }
        }
        second.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // left running without its watchdog: still alive 2 s after the JVM died
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false));

        Child third = start(a);
        assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(postgresPid(a)).isNotEqualTo(leftover);
        assertThat(third.output()).anyMatch(l -> l.contains("still running") && l.contains(Long.toString(leftover)));
        http(third.port(), "GET", "/v1/admin/tenants/kept", null, 200);

        // the README's Java client example, against ./laurel
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        io.laurel.api.EventReceipt receipt;
        System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            receipt = ReadmeExample.run("http://localhost:" + third.port(), KEY);
        } finally {
            System.setOut(out);
        }
        assertThat(receipt.status()).isEqualTo("accepted");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("SCHEMA_VIOLATION at /event_data/minutes");
        io.laurel.client.LaurelClient client = io.laurel.client.LaurelClient.builder()
                .baseUrl("http://localhost:" + third.port()).apiKey(KEY).build();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(client.points("ann").balances())
                .singleElement().satisfies(bal -> assertThat(bal.available()).isEqualTo(5)));

        // another data directory on the port this one's server holds: refused, with the reason
        Path b = tmp.resolve("b");
        Process other = launch(b, PlatformClient.freePort());
        assertThat(other.waitFor(120, TimeUnit.SECONDS)).as("the second standalone gives up").isTrue();
        assertThat(other.exitValue()).isNotZero();
        String said = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(said).contains("Port " + pgPort + " is in use").contains("LAUREL_STANDALONE_POSTGRES_PORT");
        assertThat(Files.exists(b.resolve("postgres").resolve("data").resolve("postmaster.pid"))).isFalse();
        // and the first one's database is untouched
        http(third.port(), "GET", "/v1/admin/tenants/kept", null, 200);
        // SIGTERM, as Ctrl-C on ./laurel: it stops, and its database server with it
        long thirdPg = postgresPid(a);
        third.process().destroy();
        assertThat(third.process().waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(thirdPg).map(h -> !h.isAlive()).orElse(true));
    }

    private record Child(Process process, int port, List<String> output) {
    }

    private Child start(Path dir) throws Exception {
        int port = PlatformClient.freePort();
        Process p = launch(dir, port);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the child was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(180)).until(() -> lines.stream().anyMatch(l -> l.contains("Laurel is running"))
                || !p.isAlive());
        assertThat(p.isAlive()).as("standalone on %s started: %s", dir, String.join("\n", lines)).isTrue();
        return new Child(p, port, lines);
    }

    /**
     * Starts {@code ./laurel} as a user does (the script, the executable jar this build made, its own JVM), never
     * building: the jar exists once the build reached the integration tests.
     */
    private Process launch(Path dir, int httpPort) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(root.resolve("standalone/target/laurel-standalone-exec.jar")).as("the executable jar").exists();
        ProcessBuilder pb = new ProcessBuilder("bash", "./laurel").directory(root.toFile());
        Map<String, String> env = pb.environment();
        env.put("LAUREL_BUILD", "never");
        // C1 only: four starts on two cores, each mostly start-up, which C2's compilations would slow
        env.put("LAUREL_JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1");
        env.put("LAUREL_DATA_DIR", dir.toString());
        env.put("LAUREL_PORT", Integer.toString(httpPort));
        env.put("LAUREL_ADMIN_KEY", KEY);
        env.put("LAUREL_STANDALONE_POSTGRES_PORT", Integer.toString(pgPort));
        env.put("LAUREL_STANDALONE_KAFKA_PORT", Integer.toString(PlatformClient.freePort()));
        env.put("LAUREL_STANDALONE_KAFKA_CONTROLLER_PORT", Integer.toString(PlatformClient.freePort()));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static long postgresPid(Path dir) {
        return EmbeddedPostgresServer.postmasterPid(dir.resolve("postgres").resolve("data")).orElseThrow();
    }

    private static void http(int port, String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(30));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
    }
}
