package io.laurel.bench;

import io.laurel.standalone.StandaloneApplication;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Laurel benchmark: the whole platform in this JVM against a real Kafka broker and PostgreSQL,
 * driven over HTTP, beside the raw baselines of the same broker and database. See {@link Options#USAGE}.
 */
public final class BenchMain {
    static final String ADMIN_KEY = "lrl_bench_key";

    private BenchMain() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println();
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(Options.USAGE);
            System.exit(0);
            return;
        }
        System.setProperty("axoniq.update-checker.disabled", "true");
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        int status;
        try {
            run(options, args);
            status = 0;
        } catch (Throwable t) {
            System.err.println("[bench] failed: " + t);
            t.printStackTrace();
            status = 1;
        }
        quietShutdown();
        System.exit(status);
    }

    private static void run(Options o, String[] args) throws Exception {
        long started = System.nanoTime();
        say("starting Kafka (KRaft, in-process) and PostgreSQL (embedded)");
        TestEnvironment env = LaurelTestInfra.fresh("bench");
        say("infrastructure ready in %.1f s; starting the platform", (System.nanoTime() - started) / 1e9);

        List<String> springArgs = new ArrayList<>();
        env.laurelProperties().forEach((k, v) -> springArgs.add("--" + k + "=" + v));
        springArgs.add("--server.port=0");
        springArgs.add("--laurel.admin-key=" + ADMIN_KEY);
        springArgs.add("--laurel.data-dir=" + Files.createTempDirectory("laurel-bench-data"));
        springArgs.add("--logging.config=classpath:bench-logback.xml");
        springArgs.add("--spring.main.banner-mode=off");
        // logback is configured by now; Spring Boot takes over through logging.config and warns about the property
        if ("bench-logback.xml".equals(System.getProperty("logback.configurationFile"))) {
            System.clearProperty("logback.configurationFile");
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(StandaloneApplication.class)
                .registerShutdownHook(false)
                .run(springArgs.toArray(String[]::new));
        Report report;
        try {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            say("platform listening on port %d (%.1f s since start)", port, (System.nanoTime() - started) / 1e9);
            LaurelLoad load = new LaurelLoad(port, ADMIN_KEY, env.bootstrapServers(), env.topics().events().name(),
                    env.topics().events().partitions());
            load.declare();

            say("warm-up: %,d events", o.warmup());
            long warmPoints = 0;
            if (o.warmup() > 0) {
                LaurelLoad.Phase warm = load.run("warm-up", o.warmup(), o.concurrency(), o.users(), o.sampleEvery(),
                        "u-", "wlat-", 0, o.timeout());
                if (!warm.projected()) {
                    throw new IllegalStateException("the warm-up was not projected within " + o.timeout().toSeconds()
                            + " s: the leaderboard holds " + warm.boardSum() + " of " + warm.expectedBoardSum()
                            + " points; failures: " + warm.failures() + " " + warm.failureSamples());
                }
                warmPoints = warm.boardSum();
                say("warm-up done: %,d accepted, %d failures, projected in %.1f s", warm.accepted(), warm.failures(),
                        warm.projectedNanos() / 1e9);
            }

            byte[] value = Baselines.sampleEnvelope(env.topics());
            int bytes = value.length;
            BaselineRuns baselines = new BaselineRuns(env, o, value);
            say("baselines: Kafka producer and consumer (%,d records of %d bytes), PostgreSQL upsert (%,d rows), twice",
                    o.events(), bytes, o.events());
            baselines.warmUp();
            baselines.run();
            baselines.run();

            say("measured: %,d events from %d senders", o.events(), o.concurrency());
            LaurelLoad.Phase measured = load.run("measured", o.events(), o.concurrency(), o.users(), o.sampleEvery(),
                    "u-", "lat-", warmPoints, o.timeout());
            say("measured phase done; baselines once more");
            baselines.run();
            report = new Report(ZonedDateTime.now(ZoneOffset.UTC), MachineInfo.current(), command(args), o, bytes,
                    measured, baselines.producers(), baselines.consumers(), baselines.upserts());
        } finally {
            say("stopping the platform");
            context.close();
        }
        Path out = o.out().toAbsolutePath();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report.markdown());
        System.out.print(report.text());
        say("report written to %s (run took %.0f s)", out, (System.nanoTime() - started) / 1e9);
    }

    /** The three baselines, run as often as asked, on the same broker and database as the platform. */
    private static final class BaselineRuns {
        private final TestEnvironment env;
        private final Options o;
        private final byte[] value;
        private final List<Baselines.Result> producers = new ArrayList<>();
        private final List<Baselines.Result> consumers = new ArrayList<>();
        private final List<Baselines.Result> upserts = new ArrayList<>();
        private int round;

        BaselineRuns(TestEnvironment env, Options o, byte[] value) {
            this.env = env;
            this.o = o;
            this.value = value;
        }

        void warmUp() throws Exception {
            int n = Math.max(1, o.warmup());
            String topic = env.topicPrefix() + ".bench.baseline.warmup";
            Baselines.createTopic(env.bootstrapServers(), topic, LaurelTestInfra.TEST_PARTITIONS);
            Baselines.produce(env.bootstrapServers(), topic, n, o.users(), value);
            Baselines.consume(env.bootstrapServers(), topic, n + Baselines.probes(LaurelTestInfra.TEST_PARTITIONS));
        }

        void run() throws Exception {
            String topic = env.topicPrefix() + ".bench.baseline." + (++round);
            Baselines.createTopic(env.bootstrapServers(), topic, LaurelTestInfra.TEST_PARTITIONS);
            Baselines.Result p = Baselines.produce(env.bootstrapServers(), topic, o.events(), o.users(), value);
            Baselines.Result c = Baselines.consume(env.bootstrapServers(), topic,
                    o.events() + Baselines.probes(LaurelTestInfra.TEST_PARTITIONS));
            Baselines.Result u = Baselines.upsert(env, o.events(), Math.max(1, o.warmup()), o.users());
            producers.add(p);
            consumers.add(c);
            upserts.add(u);
            say("baselines, run %d: producer %s rec/s, consumer %s rec/s, upsert %s rows/s", round,
                    Stats.formatRate(p.perSecond()), Stats.formatRate(c.perSecond()), Stats.formatRate(u.perSecond()));
        }

        Baselines.Series producers() {
            return new Baselines.Series("bare Kafka producer", producers);
        }

        Baselines.Series consumers() {
            return new Baselines.Series("bare Kafka consumer", consumers);
        }

        Baselines.Series upserts() {
            return new Baselines.Series("bare batched PostgreSQL upsert", upserts);
        }
    }

    /**
     * The testkit stops the broker in a shutdown hook while Kafka's own hook deletes the broker's temporary
     * folder; the two race and the broker logs storage errors about files already gone. The figures are
     * written by then: keep the end of the output readable.
     */
    private static void quietShutdown() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            // every logger with a level of its own (logging.level.* of the platform) too, not only the root
            context.getLoggerList().forEach(l -> l.setLevel(ch.qos.logback.classic.Level.OFF));
        }
    }

    /** The command that ran this, as a user would type it in the project's folder. */
    static String command(String[] args) {
        String javaCommand = System.getProperty("sun.java.command", "");
        String first = javaCommand.isBlank() ? "" : javaCommand.split(" ")[0];
        StringBuilder b = new StringBuilder("./mvnw -B -q -DskipTests -pl bench -am package && ").append(javaCommand());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Dlogback.") && !a.startsWith("-Daxoniq.")) {
                b.append(' ').append(a);
            }
        }
        if (first.endsWith(".jar")) {
            b.append(" -jar ").append(first);
        } else {
            b.append(" -jar bench/target/laurel-bench-exec.jar");
        }
        for (String a : args) {
            b.append(' ').append(a);
        }
        return b.toString();
    }

    /** {@code java} when the running JVM is the first {@code java} on the PATH, its full path otherwise. */
    private static String javaCommand() {
        String self = ProcessHandle.current().info().command().orElse(null);
        if (self == null) {
            return "java";
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, "java");
                if (Files.isExecutable(candidate)) {
                    try {
                        return candidate.toRealPath().equals(Path.of(self).toRealPath()) ? "java" : self;
                    } catch (java.io.IOException e) {
                        return self;
                    }
                }
            }
        }
        return self;
    }

    private static void say(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
    }
}
