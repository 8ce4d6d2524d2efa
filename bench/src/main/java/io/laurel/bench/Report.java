package io.laurel.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The figures of one run, as a block for the terminal and as {@code docs/benchmarks.md}. */
record Report(ZonedDateTime date, MachineInfo machine, String command, Options options, int recordBytes,
              LaurelLoad.Phase laurel, Baselines.Series producerRuns, Baselines.Series consumerRuns,
              Baselines.Series upsertRuns) {

    Baselines.Result producer() {
        return producerRuns.median();
    }

    Baselines.Result consumer() {
        return consumerRuns.median();
    }

    Baselines.Result upsert() {
        return upsertRuns.median();
    }

    private static String range(Baselines.Series s) {
        return s.runs().size() == 1 ? "—" : rate(s.min()) + " – " + rate(s.max()) + " (" + s.runs().size() + " runs)";
    }

    double acceptedPerSecond() {
        return Stats.perSecond(laurel.accepted(), laurel.postNanos());
    }

    double projectedPerSecond() {
        return laurel.projected() ? Stats.perSecond(laurel.accepted(), laurel.projectedNanos()) : Double.NaN;
    }

    double scoringPerSecond() {
        return laurel.scoringNanos() >= 0 ? Stats.perSecond(laurel.accepted(), laurel.scoringNanos()) : Double.NaN;
    }

    /** The slower of the two things a projection does per record: read it from Kafka, upsert a row. */
    Baselines.Result projectionBaseline() {
        return consumer().perSecond() <= upsert().perSecond() ? consumer() : upsert();
    }

    private String latency(double p) {
        long[] l = laurel.latencyNanos();
        return l.length == 0 ? "n/a" : Stats.formatMillis(Stats.percentile(l, p)) + " ms";
    }

    private String response(double p) {
        long[] r = laurel.postResponseNanos();
        return r.length == 0 ? "n/a" : Stats.formatMillis(Stats.percentile(r, p)) + " ms";
    }

    private String cpuLine() {
        CpuMeter.Usage u = laurel.postingCpu();
        String jvm = u.jvmCpuNanos() < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f ms per event",
                u.jvmCpuNanos() / 1e6 / Math.max(1, laurel.sent()));
        String machineShare = Double.isNaN(u.machineBusy()) ? "unknown" : String.format(Locale.ROOT,
                "%.0f%% busy, %.0f%% stolen", u.machineBusy() * 100, u.machineSteal() * 100);
        return "JVM CPU " + jvm + " (client, platform and broker together); machine " + machineShare;
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "not reached" : Stats.formatRate(perSecond);
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "—" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private String projectedNote() {
        return laurel.projected() ? "" : " (the leaderboard showed " + laurel.boardSum() + " of "
                + laurel.expectedBoardSum() + " points when the " + options.timeout().toSeconds() + " s timeout ran out)";
    }

    /** The block printed at the end of a run. */
    String text() {
        Baselines.Result pb = projectionBaseline();
        StringBuilder b = new StringBuilder();
        b.append("\n==================== Laurel benchmark ====================\n");
        b.append(String.format(Locale.ROOT, "%s | %d CPUs | %s | %s%n", DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(date.withNano(0)), machine.processors(), machine.memory(), machine.jdk()));
        b.append(String.format(Locale.ROOT, "%,d events (after %,d warm-up), %d HTTP/1.1 senders, %,d users,"
                        + " 1 latency sample per %d events; baseline records of %d bytes%n",
                laurel.sent(), options.warmup(), options.concurrency(), options.users(), options.sampleEvery(),
                recordBytes));
        b.append("-----------------------------------------------------------\n");
        b.append(String.format(Locale.ROOT, "accepted/s    = %s (%s bare producer: %s records/s)%n",
                rate(acceptedPerSecond()), Stats.formatRatio(Stats.ratio(acceptedPerSecond(), producer().perSecond())),
                rate(producer().perSecond())));
        b.append(String.format(Locale.ROOT, "projected/s   = %s (%s min(bare consumer, bare upsert) = %s: %s/s)%s%n",
                rate(projectedPerSecond()), Stats.formatRatio(Stats.ratio(projectedPerSecond(), pb.perSecond())),
                pb == consumer() ? "bare consumer" : "bare upsert", rate(pb.perSecond()), projectedNote()));
        b.append(String.format(Locale.ROOT, "scored/s      = %s (%s same baseline; scoring projection offsets only)%n",
                rate(scoringPerSecond()), Stats.formatRatio(Stats.ratio(scoringPerSecond(), pb.perSecond()))));
        b.append(String.format(Locale.ROOT, "latency p50   = %s, p99 = %s (end to end, %d of %d samples measured)%n",
                latency(50), latency(99), laurel.latencyNanos().length, laurel.latencySamples()));
        b.append(String.format(Locale.ROOT, "POST p50      = %s, p99 = %s (response time of POST /v1/events)%n",
                response(50), response(99)));
        b.append(String.format(Locale.ROOT, "failures      = %d of %,d (non-2xx or I/O error)%n", laurel.failures(),
                laurel.sent()));
        laurel.failureSamples().forEach(f -> b.append("                e.g. ").append(f).append('\n'));
        b.append(String.format(Locale.ROOT, "times         : posting %s, scoring caught up %s, leaderboard complete %s"
                + " (from the first post)%n", seconds(laurel.postNanos()), seconds(laurel.scoringNanos()),
                seconds(laurel.projectedNanos())));
        b.append("cpu (posting) : ").append(cpuLine()).append('\n');
        b.append(String.format(Locale.ROOT, "baselines     : producer %s rec/s, consumer %s rec/s, upsert %s rows/s"
                        + " (medians of %d runs)%n", rate(producer().perSecond()), rate(consumer().perSecond()),
                rate(upsert().perSecond()), producerRuns.runs().size()));
        b.append(String.format(Locale.ROOT, "  ranges      : producer %s, consumer %s, upsert %s%n", range(producerRuns),
                range(consumerRuns), range(upsertRuns)));
        b.append("===========================================================\n");
        return b.toString();
    }

    /** {@code docs/benchmarks.md}. */
    String markdown() {
        Baselines.Result pb = projectionBaseline();
        String pbName = pb == consumer() ? "bare Kafka consumer" : "bare batched PostgreSQL upsert";
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Written by `io.laurel.bench.BenchMain` (module `bench`); every run replaces this file.\n\n");
        b.append("- **Date:** ").append(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(date.withNano(0))).append('\n');
        b.append("- **Command:**\n\n  ```sh\n  ").append(command).append("\n  ```\n\n");
        b.append("## Machine\n\n| | |\n|---|---|\n");
        b.append("| processors (`nproc`) | ").append(machine.processors()).append(" |\n");
        b.append("| memory | ").append(machine.memory()).append(" |\n");
        b.append("| CPU | ").append(machine.cpu()).append(" |\n");
        b.append("| JDK | ").append(machine.jdk()).append(" |\n");
        b.append("| OS | ").append(machine.os()).append(" |\n");
        b.append("| JVM max heap | ").append(machine.maxHeap()).append(" |\n\n");
        b.append("The machine is shared with other work and noisy: on it, absolute figures have moved by a factor of")
                .append(" two or more between runs. The baselines are measured in the same run, in the same JVM, on the")
                .append(" same Kafka broker and PostgreSQL server, minutes apart, so **the ratios are the figures to")
                .append(" compare** between runs and machines. They are steadier than the absolute figures, not immune:")
                .append(" the ranges of the baselines below show how much the machine moved within this run.\n\n");
        b.append("## Results\n\n");
        b.append(String.format(Locale.ROOT, "%,d events posted after a warm-up of %,d (not measured), from %d"
                        + " concurrent HTTP/1.1 senders, to %,d users; every %d-th event went to a user of its own"
                        + " and was timed end to end.%n%n", laurel.sent(), options.warmup(), options.concurrency(),
                options.users(), options.sampleEvery()));
        b.append("| figure | Laurel | baseline (same run) | ratio |\n|---|---:|---|---:|\n");
        b.append(String.format(Locale.ROOT, "| events accepted / s (202, over the posting time) | %s | bare Kafka"
                        + " producer: %s records/s | %s |%n", rate(acceptedPerSecond()), rate(producer().perSecond()),
                Stats.formatRatio(Stats.ratio(acceptedPerSecond(), producer().perSecond()))));
        b.append(String.format(Locale.ROOT, "| events projected / s (all on the all-time leaderboard) | %s%s |"
                        + " min(bare consumer, bare upsert) = %s: %s/s | %s |%n", rate(projectedPerSecond()),
                projectedNote(), pbName, rate(pb.perSecond()),
                Stats.formatRatio(Stats.ratio(projectedPerSecond(), pb.perSecond()))));
        b.append(String.format(Locale.ROOT, "| events scored / s (scoring projection offsets only) | %s | same | %s |%n",
                rate(scoringPerSecond()), Stats.formatRatio(Stats.ratio(scoringPerSecond(), pb.perSecond()))));
        b.append(String.format(Locale.ROOT, "| end-to-end latency p50 (POST → rank readable) | %s | | |%n", latency(50)));
        b.append(String.format(Locale.ROOT, "| end-to-end latency p99 | %s | | |%n", latency(99)));
        b.append(String.format(Locale.ROOT, "| `POST /v1/events` response time p50 / p99 | %s / %s | | |%n",
                response(50), response(99)));
        b.append(String.format(Locale.ROOT, "| failures (non-2xx or I/O error) | %d of %,d | | |%n%n", laurel.failures(),
                laurel.sent()));
        b.append(String.format(Locale.ROOT, "Timeline from the first post: posting took %s, the scoring projection had"
                        + " committed every record of `laurel.events` at %s, the all-time leaderboard held every"
                        + " point at %s. Latency: %d of %d samples measured; %,d rank reads were made for them.%n%n",
                seconds(laurel.postNanos()), seconds(laurel.scoringNanos()), seconds(laurel.projectedNanos()),
                laurel.latencyNanos().length, laurel.latencySamples(), laurel.rankPolls()));
        b.append("While posting: ").append(cpuLine()).append(".\n\n");
        if (laurel.projected()) {
            long behind = laurel.projectedNanos() - laurel.postNanos();
            b.append(String.format(Locale.ROOT, "The leaderboard was complete %s after the last 202%s%n%n",
                    seconds(behind), behind < 1_000_000_000L
                            ? ": the projections kept pace with ingest, so projected/s is bounded here by the rate"
                            + " of ingest, not by what the projections could do on their own."
                            : ": the projections fell behind ingest, so projected/s measures them."));
        }
        if (!laurel.failureSamples().isEmpty()) {
            b.append("First failures:\n\n");
            laurel.failureSamples().forEach(f -> b.append("- `").append(f.replace('`', '\'')).append("`\n"));
            b.append('\n');
        }
        b.append("### Baselines\n\nEach baseline ran ").append(producerRuns.runs().size()).append(" times in this run")
                .append(" (twice before the measured phase, once after it); the ratios use the median run.\n\n");
        b.append("| baseline | what | count per run | median run | median rate | range |\n|---|---|---:|---:|---:|---|\n");
        b.append(String.format(Locale.ROOT, "| bare Kafka producer | `KafkaProducer<String, byte[]>`, acks=all,"
                        + " idempotent, linger 2 ms, lz4 (the platform's producer settings), %d-byte values (a"
                        + " serialized `EventAccepted`), user keys, a fresh %d-partition topic per run, one probe"
                        + " record per partition acknowledged first (not timed); timed until all are acknowledged | %,d | %s | %s records/s | %s |%n", recordBytes,
                io.laurel.testkit.LaurelTestInfra.TEST_PARTITIONS, producer().count(), seconds(producer().nanos()),
                rate(producer().perSecond()), range(producerRuns)));
        b.append(String.format(Locale.ROOT, "| bare Kafka consumer | a fresh `KafkaConsumer` reading those records"
                        + " (and the probes) back from the beginning | %,d | %s | %s records/s | %s |%n", consumer().count(),
                seconds(consumer().nanos()), rate(consumer().perSecond()), range(consumerRuns)));
        b.append(String.format(Locale.ROOT, "| bare batched PostgreSQL upsert | JDBC, `INSERT … ON CONFLICT (k) DO"
                        + " UPDATE SET n = t.n + 1`, %d rows per batch and per transaction, %,d keys | %,d | %s |"
                        + " %s rows/s | %s |%n%n", Baselines.UPSERT_BATCH, options.users(), upsert().count(),
                seconds(upsert().nanos()), rate(upsert().perSecond()), range(upsertRuns)));

        b.append("## How it is measured\n\n");
        b.append("- One JVM holds everything: the testkit's in-process Kafka broker (KRaft, 3 partitions per topic)")
                .append(" and embedded PostgreSQL (fsync off), a fresh database and topic prefix")
                .append(" (`LaurelTestInfra.fresh(\"bench\")`), and the whole platform (`StandaloneApplication`,")
                .append(" the four services on one port). Client, platform and infrastructure share the same cores.\n");
        b.append("- Through HTTP only: the bench declares `bench_event` (`{\"required\":[\"amount\"],\"properties\":")
                .append("{\"amount\":\"number\"}}`) and a rule of 1 point per event, then posts single events")
                .append(" (`POST /v1/events`, no idempotence key) from a fixed pool of virtual-thread senders on one")
                .append(" `java.net.http.HttpClient` (HTTP/1.1, keep-alive).\n");
        b.append("- **accepted/s** = 202 answers ÷ the wall time from the first post to the last answer.\n");
        b.append("- **projected/s** = accepted events ÷ the time from the first post until the all-time")
                .append(" leaderboard holds every point. The rule gives exactly 1 point per event, so the check is")
                .append(" exact: the scores of `GET /v1/leaderboards/all-time` (read in pages of 1000) must add up")
                .append(" to the warm-up's points plus the events accepted; it is read every 50 ms once the scoring")
                .append(" projection has caught up, and confirmed by a second read. **scored/s** uses the first")
                .append(" step only: the scoring projection's committed offsets (`GET /v1/ops/projections`, per")
                .append(" partition, polled every 20 ms) reach the end offsets of `laurel.events` (Kafka Admin).\n");
        b.append("- **latency**: every ").append(options.sampleEvery()).append("-th event goes to a user of its own")
                .append(" (`lat-<i>`); a virtual thread per sample reads `GET /v1/leaderboards/all-time/users/lat-<i>`")
                .append(" every 5 ms until it answers 200 (at most 60 s). Latency = from the start of the POST to")
                .append(" that 200. These reads are real requests competing for the same cores (the count above")
                .append(" says how many); sampling more often (`--sample-every=50`) visibly lowers the ingest rate on")
                .append(" a 2-core machine, hence the default of one sample per 100 events.\n");
        b.append("- **ratios**: accepted/s against the bare producer (what appending to Kafka alone costs); projected/s")
                .append(" against the slower of the bare consumer and the bare upsert (each projected event is")
                .append(" read from Kafka and upserted, twice: scoring, then the leaderboard).\n");
        b.append("- The warm-up (").append(String.format(Locale.ROOT, "%,d", options.warmup()))
                .append(" events, same shape) runs and is fully projected before anything is measured; the")
                .append(" Kafka baselines have their own warm-up of the same size, the upsert baseline too.\n");
        b.append("- The baselines are short (well under a second each) next to the minute of the Laurel phase, so")
                .append(" one of them can land in a busy moment of the machine: hence three runs and the median;")
                .append(" the range shows how noisy the machine was.\n");
        return b.toString();
    }
}
