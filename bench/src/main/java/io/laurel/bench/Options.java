package io.laurel.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The command line of {@link BenchMain}. */
public record Options(Scenario scenario, int events, int warmup, int concurrency, int users, int sampleEvery, Path out,
                      Duration timeout, Duration ingestDuration, Duration openLoopDuration, double openLoopFraction,
                      int batchSize, int batchConcurrency, int kafkaEvents, int scoringEvents,
                      Duration redemptionDuration, int boardMembers, int lookupRate, Duration lookupDuration,
                      int boardEventRate, Duration boardE2eDuration, int badgeEvents, int replayEvents, boolean help) {

    /** Which scenarios a run measures. The baselines run whatever is chosen. */
    public enum Scenario {
        /** Everything below. */
        ALL,
        /** HTTP POST /v1/events → scoring → leaderboard. */
        E2E,
        /** Single-event HTTP ingest (capacity and open loop), batch HTTP ingest, Kafka ingest. */
        INGEST,
        /** The scoring projection's throughput (laurel.events → balances) and redemptions. */
        SCORING,
        /** Leaderboard queries at a million members, and event → leaderboard latency at a fixed rate. */
        LEADERBOARD,
        /** Badge evaluation: 100 definitions, events straight to laurel.events, until the awards are stored. */
        BADGES,
        /** Rebuilds of scoring, leaderboards and badges, and a recalculation's dry run, beside a bare consumer. */
        REPLAY;

        boolean e2e() {
            return this == ALL || this == E2E;
        }

        boolean ingest() {
            return this == ALL || this == INGEST;
        }

        boolean scoring() {
            return this == ALL || this == SCORING;
        }

        boolean leaderboard() {
            return this == ALL || this == LEADERBOARD;
        }

        boolean badges() {
            return this == ALL || this == BADGES;
        }

        boolean replay() {
            return this == ALL || this == REPLAY;
        }

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Scenario parse(String value) {
            for (Scenario s : values()) {
                if (s.wire().equals(value)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--scenario must be all, e2e, ingest, scoring, leaderboard, badges or replay: " + value);
        }
    }

    public static final String USAGE = """
            Usage: java -jar bench/target/laurel-bench-exec.jar [options]

            Starts a real Kafka broker (KRaft, in-process) and an embedded PostgreSQL, runs the whole Laurel
            platform in the same JVM, and measures it over HTTP and Kafka beside the bare Kafka producer /
            consumer and batched PostgreSQL upsert baselines on the same broker and database. Prints the
            figures and writes them to a Markdown file.

            Scenarios (--scenario, default all):
              e2e      POST /v1/events → scoring → all-time leaderboard: ingest rate, projection rate,
                       end-to-end latency
              ingest   single-event HTTP ingest (capacity with --concurrency closed-loop senders, then a
                       fixed-rate open-loop run at --open-loop-fraction of it), batch HTTP ingest
                       (POST /v1/events:batch), Kafka ingest (laurel.events.inbound → laurel.events)
              scoring  the scoring projection alone: accepted events produced straight to laurel.events
                       (rules with a condition, an expression, a daily cap, once-per-user), events/s until
                       the balances hold them all, checked against the in-memory rules engine; then
                       POST /v1/redemptions: requests/s and latency, spread over users and on one wallet
              leaderboard  a tenant's board filled with --board-members members through laurel.points, then
                       top-100 pages and rank lookups over HTTP at --lookup-rate/s (open loop) beside bare
                       PostgreSQL and bare HTTP; and events posted at --board-event-rate/s timed until the
                       leaderboard's ranking holds them
              badges   a tenant with 100 badge definitions: events produced straight to laurel.events,
                       events/s until the badge projection stored them, awards checked against the engine
              replay   --replay-events events produced straight to laurel.events and folded live, then
                       rebuilds of scoring, leaderboards and badges from offset 0 and a recalculation's dry
                       run (the rule changed), each beside a bare consumer reading the same topics
              all      all of them

            Options:
              --scenario=S          all, e2e, ingest, scoring, leaderboard, badges or replay (default all)
              --events=N            e2e: events posted in the measured phase (default 20000)
              --warmup=N            events posted first, not measured, per scenario (default 2000)
              --concurrency=N       concurrent HTTP senders of single events, e2e and ingest capacity (default 16)
              --users=N             distinct users of the measured events (default 1000)
              --sample-every=N      e2e: every N-th event goes to a user of its own and is timed end to end (default 100)
              --timeout=SECONDS     longest wait for the projections (or the Kafka ingest) to catch up (default 120)
              --ingest-seconds=N    ingest: length of the single-event capacity run and of the batch run (default 10)
              --open-loop-seconds=N ingest: length of the fixed-rate single-event run (default 15)
              --open-loop-fraction=F  ingest: its rate, as a fraction of the measured capacity (default 0.7)
              --batch-size=N        ingest: events per POST /v1/events:batch (default 100, at most 1000)
              --batch-concurrency=N ingest: concurrent batch senders (default 4)
              --kafka-events=N      ingest: envelopes produced to laurel.events.inbound (default 50000)
              --scoring-events=N    scoring: events produced to laurel.events (default 200000)
              --redemption-seconds=N  scoring: length of each redemption run (default 10)
              --board-members=N     leaderboard: members of the big board (default 1000000)
              --lookup-rate=N       leaderboard: top-100 pages and rank lookups per second (default 1000)
              --lookup-seconds=N    leaderboard: length of each query run (default 15)
              --board-event-rate=N  leaderboard: events per second of the end-to-end run (default 2000)
              --board-e2e-seconds=N leaderboard: length of the end-to-end run (default 60)
              --badge-events=N      badges: events produced to laurel.events (default 100000)
              --replay-events=N     replay: events produced to laurel.events and replayed (default 1000000)
              --out=PATH            the report to write or replace (default docs/benchmarks.md)
              --help                this text
            """;

    public static Options parse(String... args) {
        Scenario scenario = Scenario.ALL;
        int events = 20_000;
        int warmup = 2_000;
        int concurrency = 16;
        int users = 1_000;
        int sampleEvery = 100;
        Path out = Path.of("docs/benchmarks.md");
        Duration timeout = Duration.ofSeconds(120);
        Duration ingest = Duration.ofSeconds(10);
        Duration openLoop = Duration.ofSeconds(15);
        double fraction = 0.7;
        int batchSize = 100;
        int batchConcurrency = 4;
        int kafkaEvents = 50_000;
        int scoringEvents = 200_000;
        Duration redemptions = Duration.ofSeconds(10);
        int boardMembers = 1_000_000;
        int lookupRate = 1_000;
        Duration lookups = Duration.ofSeconds(15);
        int boardEventRate = 2_000;
        Duration boardE2e = Duration.ofSeconds(60);
        int badgeEvents = 100_000;
        int replayEvents = 1_000_000;
        boolean help = false;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unknown argument '" + arg + "' (see --help)");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "scenario" -> scenario = Scenario.parse(value);
                case "events" -> events = positive(name, value, 1);
                case "warmup" -> warmup = positive(name, value, 0);
                case "concurrency" -> concurrency = positive(name, value, 1);
                case "users" -> users = positive(name, value, 1);
                case "sample-every" -> sampleEvery = positive(name, value, 1);
                case "timeout" -> timeout = Duration.ofSeconds(positive(name, value, 1));
                case "ingest-seconds" -> ingest = Duration.ofSeconds(positive(name, value, 1));
                case "open-loop-seconds" -> openLoop = Duration.ofSeconds(positive(name, value, 1));
                case "open-loop-fraction" -> fraction = fraction(name, value);
                case "batch-size" -> {
                    batchSize = positive(name, value, 1);
                    if (batchSize > 1000) {
                        throw new IllegalArgumentException("--batch-size must be at most 1000 (the API's limit): " + value);
                    }
                }
                case "batch-concurrency" -> batchConcurrency = positive(name, value, 1);
                case "kafka-events" -> kafkaEvents = positive(name, value, 1);
                case "scoring-events" -> scoringEvents = positive(name, value, 1);
                case "redemption-seconds" -> redemptions = Duration.ofSeconds(positive(name, value, 1));
                case "board-members" -> boardMembers = positive(name, value, 1);
                case "lookup-rate" -> lookupRate = positive(name, value, 1);
                case "lookup-seconds" -> lookups = Duration.ofSeconds(positive(name, value, 1));
                case "board-event-rate" -> boardEventRate = positive(name, value, 10);
                case "board-e2e-seconds" -> boardE2e = Duration.ofSeconds(positive(name, value, 1));
                case "badge-events" -> badgeEvents = positive(name, value, 1);
                case "replay-events" -> replayEvents = positive(name, value, 1);
                case "out" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("--out needs a path");
                    }
                    out = Path.of(value);
                }
                default -> throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
        }
        return new Options(scenario, events, warmup, concurrency, users, sampleEvery, out, timeout, ingest, openLoop,
                fraction, batchSize, batchConcurrency, kafkaEvents, scoringEvents, redemptions, boardMembers, lookupRate,
                lookups, boardEventRate, boardE2e, badgeEvents, replayEvents, help);
    }

    private static int positive(String name, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number: " + value);
        }
        if (n < min) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min + ": " + value);
        }
        return n;
    }

    private static double fraction(String name, String value) {
        double f;
        try {
            f = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number: " + value);
        }
        if (!(f > 0 && f <= 1)) {
            throw new IllegalArgumentException("--" + name + " must be above 0 and at most 1: " + value);
        }
        return f;
    }
}
