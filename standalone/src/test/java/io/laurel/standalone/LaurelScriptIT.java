package io.laurel.standalone;

import io.laurel.api.EventReceipt;
import io.laurel.client.LaurelClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./laurel}, as a user starts it (the script, the executable jar the build made, its own JVM): the README's
 * Java client example runs against it, the points it gives are there, and SIGTERM (Ctrl-C) stops it cleanly.
 */
class LaurelScriptIT {
    private static final String KEY = "lrl_script_test_admin_key_0123456789";

    @TempDir
    Path tmp;

    private Process laurel;

    @AfterEach
    void stop() throws Exception {
        if (laurel != null && laurel.isAlive()) {
            laurel.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReadmeExampleRunsAgainstTheLaurelScript() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(root.resolve("laurel")).exists();
        assertThat(root.resolve("standalone/target/laurel-standalone-exec.jar"))
                .as("the build made the executable jar before the integration tests").exists();
        int port = PlatformClient.freePort();
        ProcessBuilder pb = new ProcessBuilder("bash", "./laurel").directory(root.toFile());
        Map<String, String> env = pb.environment();
        // the jar this build made: a test never builds
        env.put("LAUREL_BUILD", "never");
        env.put("LAUREL_JAVA_OPTS", "-Xmx768m -XX:TieredStopAtLevel=1");
        env.put("LAUREL_DATA_DIR", tmp.resolve("data").toString());
        env.put("LAUREL_PORT", Integer.toString(port));
        env.put("LAUREL_ADMIN_KEY", KEY);
        env.put("LAUREL_STANDALONE_POSTGRES_PORT", Integer.toString(PlatformClient.freePort()));
        env.put("LAUREL_STANDALONE_KAFKA_PORT", Integer.toString(PlatformClient.freePort()));
        env.put("LAUREL_STANDALONE_KAFKA_CONTROLLER_PORT", Integer.toString(PlatformClient.freePort()));
        pb.redirectErrorStream(true);
        laurel = pb.start();
        List<String> output = new CopyOnWriteArrayList<>();
        AtomicBoolean up = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(laurel.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.contains("Laurel is running")) {
                        up.set(true);
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofMinutes(3)).until(() -> up.get() || !laurel.isAlive());
        assertThat(up.get()).as("./laurel started: %s", tail(output)).isTrue();

        String url = "http://localhost:" + port;
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        EventReceipt receipt;
        System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            receipt = ReadmeExample.run(url, KEY);
        } finally {
            System.setOut(out);
        }
        assertThat(receipt.status()).isEqualTo("accepted");
        assertThat(printed.toString(StandardCharsets.UTF_8)).as("the example printed the typed error's code and pointer")
                .contains("SCHEMA_VIOLATION at /event_data/minutes");
        LaurelClient client = LaurelClient.builder().baseUrl(url).apiKey(KEY).build();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(client.points("ann").balances()).singleElement()
                        .satisfies(b -> assertThat(b.available()).isEqualTo(5)));

        laurel.destroy(); // SIGTERM, as Ctrl-C
        assertThat(laurel.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM: %s", tail(output)).isTrue();
        assertThat(Files.list(tmp.resolve("data")).count()).as("its data stayed in LAUREL_DATA_DIR").isPositive();
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 30), lines.size());
    }
}
