package io.laurel.bench;

import io.laurel.standalone.StandaloneApplication;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
            say("platform listening on port %d (%.1f s since start); scenario %s", port,
                    (System.nanoTime() - started) / 1e9, o.scenario().wire());
            LaurelLoad load = new LaurelLoad(port, ADMIN_KEY, env.bootstrapServers(), env.topics().events().name(),
                    env.topics().events().partitions());
            IngestLoad ingest = new IngestLoad(port, ADMIN_KEY);
            if (o.scenario().e2e()) {
                load.declare();
            }
            if (o.scenario().ingest()) {
                ingest.declare();
            }
            ScoringLoad scoringLoad = new ScoringLoad(port, ADMIN_KEY, env, () -> context.getBean(
                    io.laurel.runtime.projection.ProjectionManager.class).liveSchema("scoring"),
                    () -> context.getBean(io.laurel.runtime.catalog.CatalogView.class).position());
            if (o.scenario().scoring()) {
                scoringLoad.declare();
            }
            LeaderboardLoad boardLoad = new LeaderboardLoad(port, ADMIN_KEY, env,
                    context.getBean(io.laurel.leaderboard.board.BoardIndexes.class), () -> context.getBean(
                    io.laurel.runtime.projection.ProjectionManager.class).liveSchema("leaderboards"),
                    tenant -> context.getBean(io.laurel.runtime.catalog.CatalogView.class).leaderboard(tenant, "all-time")
                            .orElseThrow());
            if (o.scenario().leaderboard()) {
                boardLoad.declare();
            }
            BadgeLoad badgeLoad = new BadgeLoad(port, ADMIN_KEY, env, () -> context.getBean(
                    io.laurel.runtime.projection.ProjectionManager.class).liveSchema("badges"),
                    tenant -> context.getBean(io.laurel.runtime.catalog.CatalogView.class).badges(tenant),
                    tenant -> context.getBean(io.laurel.runtime.catalog.CatalogView.class).challenges(tenant));
            if (o.scenario().badges()) {
                badgeLoad.declare();
            }
            ReplayLoad replayLoad = new ReplayLoad(port, ADMIN_KEY, env,
                    () -> context.getBean(io.laurel.runtime.catalog.CatalogView.class).position());
            if (o.scenario().replay()) {
                replayLoad.declare();
            }

            long warmPoints = 0;
            if (o.scenario().e2e() && o.warmup() > 0) {
                say("e2e warm-up: %,d events", o.warmup());
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
            if (o.scenario().ingest()) {
                warmUpIngest(o, env, ingest);
            }

            byte[] value = Baselines.sampleEnvelope(env.topics());
            int bytes = value.length;
            BaselineRuns baselines = new BaselineRuns(env, o, value);
            say("baselines: Kafka producer and consumer (%,d records of %d bytes), PostgreSQL upsert (%,d rows), twice",
                    o.events(), bytes, o.events());
            baselines.warmUp();
            baselines.run();
            baselines.run();

            LaurelLoad.Phase measured = null;
            if (o.scenario().e2e()) {
                say("e2e measured: %,d events from %d senders", o.events(), o.concurrency());
                measured = load.run("measured", o.events(), o.concurrency(), o.users(), o.sampleEvery(),
                        "u-", "lat-", warmPoints, o.timeout());
                say("e2e done: %s accepted/s, leaderboard complete at %.1f s",
                        Stats.formatRate(Stats.perSecond(measured.accepted(), measured.postNanos())),
                        measured.projectedNanos() / 1e9);
            }
            IngestResults ingestResults = null;
            if (o.scenario().ingest()) {
                ingestResults = runIngest(o, env, ingest, value);
            }
            LeaderboardLoad.Results boards = null;
            if (o.scenario().leaderboard()) {
                boards = runLeaderboards(o, boardLoad);
            }
            BadgeLoad.Result badgeResult = null;
            if (o.scenario().badges()) {
                say("badges: warm-up of %,d events", Math.max(1, o.badgeEvents() / 10));
                badgeLoad.run(Math.max(1, o.badgeEvents() / 10), o.timeout());
                say("badges: %,d events produced to laurel.events, timed until the badge projection stored them",
                        o.badgeEvents());
                badgeResult = badgeLoad.run(o.badgeEvents(), o.timeout());
                say("badges: %s events/s evaluated; %,d awards (engine: %,d); %,d steps passed (engine: %,d); %,d"
                                + " challenges completed (engine: %,d)", Stats.formatRate(badgeResult.perSecond()),
                        badgeResult.awards(), badgeResult.expectedAwards(), badgeResult.stepsPassed(),
                        badgeResult.expectedStepsPassed(), badgeResult.completions(), badgeResult.expectedCompletions());
            }
            ScoringLoad.Results scoring = null;
            if (o.scenario().scoring()) {
                scoring = runScoring(o, scoringLoad, baselines);
            }
            ReplayLoad.Results replay = null;
            if (o.scenario().replay()) {
                replay = replayLoad.run(o.replayEvents(), o.timeout().multipliedBy(10));
            }
            say("baselines once more");
            baselines.run();
            report = new Report(ZonedDateTime.now(ZoneOffset.UTC), MachineInfo.current(), command(args), o, bytes,
                    measured, ingestResults, scoring, boards, badgeResult, replay, baselines.producers(), baselines.consumers(),
                    baselines.upserts());
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

    /** Event → leaderboard latency at a fixed rate, then the big board and its queries. */
    private static LeaderboardLoad.Results runLeaderboards(Options o, LeaderboardLoad load) throws Exception {
        say("leaderboard 1/2: %d events/s posted in batches for %d s, each timed until the leaderboard holds it",
                o.boardEventRate(), o.boardE2eDuration().toSeconds());
        load.endToEnd(o.boardEventRate(), Duration.ofSeconds(10), o.timeout()); // warm-up
        LeaderboardLoad.EndToEnd e2e = load.endToEnd(o.boardEventRate(), o.boardE2eDuration(), o.timeout());
        say("event → leaderboard: p50 %s ms, p99 %s ms (%d unseen, %d failures)",
                Stats.formatMillis(Stats.percentile(e2e.latencyNanos(), 50)),
                Stats.formatMillis(Stats.percentile(e2e.latencyNanos(), 99)), e2e.unseen(), e2e.failures());
        say("leaderboard 2/2: %,d members through laurel.points, then top-100 and rank lookups at %d/s for %d s each",
                o.boardMembers(), o.lookupRate(), o.lookupDuration().toSeconds());
        LeaderboardLoad.Scale scale = load.scale(o.boardMembers(), o.lookupRate(), o.lookupDuration(),
                o.timeout().multipliedBy(5));
        say("board of %,d: top-100 p99 %s ms, rank p99 %s ms; bare HTTP p99 %s ms", scale.members(),
                Stats.formatMillis(scale.top().p(99)), Stats.formatMillis(scale.rank().p(99)),
                Stats.formatMillis(scale.bareHttp().p(99)));
        return new LeaderboardLoad.Results(scale, e2e);
    }

    /** The scoring projection's throughput, checked against the model, then redemptions beside their baseline. */
    private static ScoringLoad.Results runScoring(Options o, ScoringLoad load, BaselineRuns baselines) throws Exception {
        say("scoring warm-up: %,d events", Math.max(1, o.scoringEvents() / 10));
        load.project(Math.max(1, o.scoringEvents() / 10), o.timeout());
        say("scoring 1/3: %,d events produced to laurel.events, timed until the scoring projection stored them all",
                o.scoringEvents());
        ScoringLoad.Projection p = load.project(o.scoringEvents(), o.timeout());
        say("scoring: %s events/s projected; entries %,d (model %,d); balances %s (model %s)",
                Stats.formatRate(p.perSecond()), p.entries(), p.expectedEntries(), p.earnedByCurrency(),
                p.expectedByCurrency());
        // the wallet path (Axon command bus, event store, view, forwarder) is compiled first, as every other measured
        // path is warmed before it is measured
        say("redemption warm-up: spread over wallets, %d senders for %d s, not measured", o.concurrency(),
                o.redemptionDuration().toSeconds());
        load.redeem(o.redemptionDuration(), o.concurrency(), false);
        say("scoring 2/3: redemptions spread over wallets, %d senders for %d s", o.concurrency(),
                o.redemptionDuration().toSeconds());
        ScoringLoad.Redemptions spread = load.redeem(o.redemptionDuration(), o.concurrency(), false);
        say("scoring 3/3: redemptions on one wallet, %d senders for %d s", o.concurrency(),
                o.redemptionDuration().toSeconds());
        ScoringLoad.Redemptions one = load.redeem(o.redemptionDuration(), o.concurrency(), true);
        Baselines.Result tx = load.bareTransactions(o.redemptionDuration().dividedBy(2), o.concurrency());
        say("redemptions: spread %s/s (p99 %s ms), one wallet %s/s (p99 %s ms); bare transactions %s/s",
                Stats.formatRate(spread.completedPerSecond()), Stats.formatMillis(Stats.percentile(spread.responseNanos(), 99)),
                Stats.formatRate(one.completedPerSecond()), Stats.formatMillis(Stats.percentile(one.responseNanos(), 99)),
                Stats.formatRate(tx.perSecond()));
        return new ScoringLoad.Results(p, spread, one, tx, baselines.upserts().median());
    }

    /** Warms up every ingest path (single, batch, Kafka) and waits for the projections; nothing is measured. */
    private static void warmUpIngest(Options o, TestEnvironment env, IngestLoad ingest) throws Exception {
        KafkaIngest.awaitRunning(ingest, o.timeout());
        if (o.warmup() == 0) {
            return;
        }
        say("ingest warm-up: %,d single events, %,d in batches of %d, %,d through Kafka", o.warmup(),
                Math.max(1, o.warmup() / o.batchSize()) * o.batchSize(), o.batchSize(), o.warmup());
        IngestLoad.ClosedLoop single = ingest.closedLoop("warm-up", o.timeout(), o.warmup(), o.concurrency(),
                o.users(), "pw-");
        IngestLoad.Batch batch = ingest.batches(o.timeout(), Math.max(1, o.warmup() / o.batchSize()),
                o.batchConcurrency(), o.batchSize(), o.users(), "bw-");
        KafkaIngest.Result kafka = KafkaIngest.run(env.bootstrapServers(), env.topics().eventsInbound().name(),
                ADMIN_KEY, ingest, o.warmup(), o.users(), "kw-", o.timeout());
        if (single.failures() > 0 || batch.counts().accepted() != batch.events() || !kafka.complete()
                || kafka.rejected() > 0) {
            throw new IllegalStateException("the ingest warm-up failed: single " + single.failures() + " failures "
                    + single.failureSamples() + "; batch " + batch.counts() + " " + batch.failureSamples()
                    + "; Kafka " + kafka.forwarded() + " forwarded, " + kafka.rejected() + " rejected of "
                    + kafka.records() + " (" + kafka.after() + ")");
        }
        IngestLoad.Quiet quiet = ingest.awaitQuiet(o.timeout());
        say("ingest warm-up done: single %s/s, batch %s/s, Kafka %s/s; projections quiet after %.1f s",
                Stats.formatRate(single.acceptedPerSecond()), Stats.formatRate(batch.acceptedPerSecond()),
                Stats.formatRate(kafka.forwardedPerSecond()), quiet.caughtUpNanos() / 1e9);
    }

    /** The measured ingest scenarios, one after the other, each once the projections have gone quiet. */
    private static IngestResults runIngest(Options o, TestEnvironment env, IngestLoad ingest, byte[] value)
            throws Exception {
        quiet(ingest, o, "before the ingest scenarios");
        say("ingest 1/4: single-event capacity, %d senders for %d s", o.concurrency(), o.ingestDuration().toSeconds());
        IngestLoad.ClosedLoop capacity = ingest.closedLoop("capacity", o.ingestDuration(), Integer.MAX_VALUE,
                o.concurrency(), o.users(), "p-");
        say("capacity: %s events/s accepted (%d failures), response p50 %s ms, p99 %s ms",
                Stats.formatRate(capacity.acceptedPerSecond()), capacity.failures(),
                Stats.formatMillis(Stats.percentile(capacity.responseNanos(), 50)),
                Stats.formatMillis(Stats.percentile(capacity.responseNanos(), 99)));
        IngestLoad.Quiet afterCapacity = quiet(ingest, o, "after the capacity run");

        double rate = OpenLoopSchedule.rateAt(capacity.acceptedPerSecond(), o.openLoopFraction());
        OpenLoopSchedule schedule = OpenLoopSchedule.of(rate, o.openLoopDuration());
        say("ingest 2/4: single events at a fixed %s/s (%.0f%% of capacity) for %d s: %,d requests",
                Stats.formatRate(rate), o.openLoopFraction() * 100, o.openLoopDuration().toSeconds(), schedule.count());
        IngestLoad.OpenLoop open = ingest.openLoop(schedule, o.users(), "p-", o.timeout());
        say("open loop: p50 %s ms, p99 %s ms, max %s ms from the due time; %d failures, %d unanswered",
                Stats.formatMillis(Stats.percentile(open.latencyNanos(), 50)),
                Stats.formatMillis(Stats.percentile(open.latencyNanos(), 99)),
                Stats.formatMillis(Stats.percentile(open.latencyNanos(), 100)), open.failures(), open.notCompleted());
        IngestLoad.Quiet afterOpen = quiet(ingest, o, "after the open-loop run");

        OpenLoopSchedule ackSchedule = OpenLoopSchedule.of(rate, PRODUCER_LATENCY_RUN);
        String ackTopic = env.topicPrefix() + ".bench.baseline.latency";
        Baselines.createTopic(env.bootstrapServers(), ackTopic, LaurelTestInfra.TEST_PARTITIONS);
        long[] acks = Baselines.producerLatency(env.bootstrapServers(), ackTopic, ackSchedule, o.users(), value);
        say("baseline: bare producer at %s/s, ack p50 %s ms, p99 %s ms", Stats.formatRate(rate),
                Stats.formatMillis(Stats.percentile(acks, 50)), Stats.formatMillis(Stats.percentile(acks, 99)));

        say("ingest 3/4: batches of %d from %d senders for %d s", o.batchSize(), o.batchConcurrency(),
                o.ingestDuration().toSeconds());
        IngestLoad.Batch batch = ingest.batches(o.ingestDuration(), Integer.MAX_VALUE, o.batchConcurrency(),
                o.batchSize(), o.users(), "b-");
        say("batch: %s events/s accepted (%s), request p50 %s ms, p99 %s ms",
                Stats.formatRate(batch.acceptedPerSecond()), batch.counts(),
                Stats.formatMillis(Stats.percentile(batch.responseNanos(), 50)),
                Stats.formatMillis(Stats.percentile(batch.responseNanos(), 99)));
        IngestLoad.Quiet afterBatch = quiet(ingest, o, "after the batch run");

        say("ingest 4/4: %,d envelopes through Kafka (%s)", o.kafkaEvents(), env.topics().eventsInbound().name());
        KafkaIngest.Result kafka = KafkaIngest.run(env.bootstrapServers(), env.topics().eventsInbound().name(),
                ADMIN_KEY, ingest, o.kafkaEvents(), o.users(), "k-", o.timeout());
        say("Kafka ingest: %s events/s forwarded (%,d forwarded, %,d rejected, %,d duplicates; produced in %.2f s)",
                Stats.formatRate(kafka.forwardedPerSecond()), kafka.forwarded(), kafka.rejected(), kafka.duplicates(),
                kafka.producedNanos() / 1e9);
        IngestLoad.Quiet afterKafka = quiet(ingest, o, "after the Kafka run");
        return new IngestResults(capacity, o.openLoopFraction(), open, ackSchedule, acks, batch, kafka,
                afterCapacity, afterOpen, afterBatch, afterKafka);
    }

    /** The bare producer's acknowledgement times are measured for this long at the open-loop rate. */
    static final java.time.Duration PRODUCER_LATENCY_RUN = java.time.Duration.ofSeconds(5);

    private static IngestLoad.Quiet quiet(IngestLoad ingest, Options o, String when) throws Exception {
        IngestLoad.Quiet q = ingest.awaitQuiet(o.timeout());
        if (q.reached()) {
            say("projections quiet %s: last progress %.1f s into the wait%s", when, q.caughtUpNanos() / 1e9,
                    q.residualLag().isEmpty() ? "" : "; partitions still showing a lag of 1: " + q.residualLag());
        } else {
            say("projections still busy %s after %.0f s; going on", when, q.waitedNanos() / 1e9);
        }
        return q;
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

    static void say(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
    }
}
