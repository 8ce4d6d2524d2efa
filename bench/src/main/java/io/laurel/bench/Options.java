package io.laurel.bench;

import java.nio.file.Path;
import java.time.Duration;

/** The command line of {@link BenchMain}. */
public record Options(int events, int warmup, int concurrency, int users, int sampleEvery, Path out,
                      Duration timeout, boolean help) {

    public static final String USAGE = """
            Usage: java -jar bench/target/laurel-bench-exec.jar [options]

            Starts a real Kafka broker (KRaft, in-process) and an embedded PostgreSQL, runs the whole Laurel
            platform in the same JVM, measures ingest, projection and end-to-end latency over HTTP, and the
            bare Kafka producer / consumer and batched PostgreSQL upsert baselines on the same broker and
            database. Prints the figures and writes them to a Markdown file.

            Options:
              --events=N          events posted in the measured phase (default 20000)
              --warmup=N          events posted first, not measured (default 2000)
              --concurrency=N     concurrent HTTP senders (default 16)
              --users=N           distinct users of the measured events (default 1000)
              --sample-every=N    every N-th event goes to a user of its own and is timed end to end (default 100)
              --timeout=SECONDS   longest wait, after the last post, for the projections to catch up (default 120)
              --out=PATH          the report to write or replace (default docs/benchmarks.md)
              --help              this text
            """;

    public static Options parse(String... args) {
        int events = 20_000;
        int warmup = 2_000;
        int concurrency = 16;
        int users = 1_000;
        int sampleEvery = 100;
        Path out = Path.of("docs/benchmarks.md");
        Duration timeout = Duration.ofSeconds(120);
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
                case "events" -> events = positive(name, value, 1);
                case "warmup" -> warmup = positive(name, value, 0);
                case "concurrency" -> concurrency = positive(name, value, 1);
                case "users" -> users = positive(name, value, 1);
                case "sample-every" -> sampleEvery = positive(name, value, 1);
                case "timeout" -> timeout = Duration.ofSeconds(positive(name, value, 1));
                case "out" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("--out needs a path");
                    }
                    out = Path.of(value);
                }
                default -> throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
        }
        return new Options(events, warmup, concurrency, users, sampleEvery, out, timeout, help);
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
}
