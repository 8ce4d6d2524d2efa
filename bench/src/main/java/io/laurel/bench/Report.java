package io.laurel.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one run, as a block for the terminal and as {@code docs/benchmarks.md}. {@code laurel} (the
 * end-to-end scenario) and {@code ingest} (the ingest scenarios) are null when their scenario did not run.
 */
record Report(ZonedDateTime date, MachineInfo machine, String command, Options options, int recordBytes,
              LaurelLoad.Phase laurel, IngestResults ingest, ScoringLoad.Results scoring,
              LeaderboardLoad.Results leaderboard, BadgeLoad.Result badges, ReplayLoad.Results replay,
              Baselines.Series producerRuns,
              Baselines.Series consumerRuns, Baselines.Series upsertRuns) {

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
        return millis(laurel.latencyNanos(), p);
    }

    private String response(double p) {
        return millis(laurel.postResponseNanos(), p);
    }

    /** The percentile {@code p} of ascending nanoseconds, in milliseconds: {@code 12.3 ms}; n/a when empty. */
    private static String millis(long[] sorted, double p) {
        return sorted.length == 0 ? "n/a" : Stats.formatMillis(Stats.percentile(sorted, p)) + " ms";
    }

    private static String cpuLine(CpuMeter.Usage u, long events) {
        String jvm = u.jvmCpuNanos() < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f ms per event",
                u.jvmCpuNanos() / 1e6 / Math.max(1, events));
        String machineShare = Double.isNaN(u.machineBusy()) ? "unknown" : String.format(Locale.ROOT,
                "%.0f%% busy, %.0f%% stolen", u.machineBusy() * 100, u.machineSteal() * 100);
        String gc = !u.gc().known() ? "" : u.gc().count() == 0 ? "; no GC pause" : String.format(Locale.ROOT,
                "; %d GC pause%s, %,d ms in all, the longest %d ms", u.gc().count(), u.gc().count() == 1 ? "" : "s",
                u.gc().totalMillis(), u.gc().maxMillis());
        return "JVM CPU " + jvm + " (client, platform and broker together); machine " + machineShare + gc;
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "not reached" : Stats.formatRate(perSecond);
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "—" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** {@code a / b} of two latencies as a ratio. */
    private static String latencyRatio(long[] value, long[] baseline, double p) {
        if (value.length == 0 || baseline.length == 0) {
            return "n/a";
        }
        return Stats.formatRatio(Stats.ratio(Stats.percentile(value, p), Stats.percentile(baseline, p)));
    }

    private String projectedNote() {
        return laurel.projected() ? "" : " (the leaderboard showed " + laurel.boardSum() + " of "
                + laurel.expectedBoardSum() + " points when the " + options.timeout().toSeconds() + " s timeout ran out)";
    }

    private String scenarios() {
        return switch (options.scenario()) {
            case ALL -> "`all`: end to end, single-event HTTP ingest, batch HTTP ingest, Kafka ingest, leaderboards"
                    + " at a million members and event → leaderboard latency, badge evaluation, scoring projection, redemptions,"
                    + " replay (rebuilds and a recalculation's dry run)";
            case E2E -> "`e2e`: end to end only";
            case INGEST -> "`ingest`: single-event HTTP ingest, batch HTTP ingest, Kafka ingest";
            case SCORING -> "`scoring`: scoring projection and redemptions";
            case LEADERBOARD -> "`leaderboard`: leaderboard queries at scale and event → leaderboard latency";
            case BADGES -> "`badges`: badge evaluation with 100 definitions";
            case REPLAY -> "`replay`: rebuilds of scoring, leaderboards and badges and a recalculation's dry run";
        };
    }

    // ------------------------------------------------------------------------------------------ terminal

    /** The block printed at the end of a run. */
    String text() {
        StringBuilder b = new StringBuilder();
        b.append("\n==================== Laurel benchmark ====================\n");
        b.append(String.format(Locale.ROOT, "%s | %d CPUs | %s | %s | scenario %s%n", DateTimeFormatter
                .ISO_OFFSET_DATE_TIME.format(date.withNano(0)), machine.processors(), machine.memory(), machine.jdk(),
                options.scenario().wire()));
        if (laurel != null) {
            e2eText(b);
        }
        if (ingest != null) {
            ingestText(b);
        }
        if (leaderboard != null) {
            LeaderboardLoad.text(b, leaderboard);
        }
        if (badges != null) {
            BadgeLoad.text(b, badges, upsert());
        }
        if (scoring != null) {
            ScoringLoad.text(b, scoring);
        }
        if (replay != null) {
            ReplayLoad.text(b, replay);
        }
        b.append("-----------------------------------------------------------\n");
        b.append(String.format(Locale.ROOT, "baselines     : producer %s rec/s, consumer %s rec/s, upsert %s rows/s"
                        + " (medians of %d runs; records of %d bytes)%n", rate(producer().perSecond()),
                rate(consumer().perSecond()), rate(upsert().perSecond()), producerRuns.runs().size(), recordBytes));
        b.append(String.format(Locale.ROOT, "  ranges      : producer %s, consumer %s, upsert %s%n", range(producerRuns),
                range(consumerRuns), range(upsertRuns)));
        b.append("===========================================================\n");
        return b.toString();
    }

    private void e2eText(StringBuilder b) {
        Baselines.Result pb = projectionBaseline();
        b.append("----- end to end: POST /v1/events → scoring → leaderboard ---\n");
        b.append(String.format(Locale.ROOT, "%,d events (after %,d warm-up), %d HTTP/1.1 senders, %,d users,"
                        + " 1 latency sample per %d events%n",
                laurel.sent(), options.warmup(), options.concurrency(), options.users(), options.sampleEvery()));
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
        b.append("cpu (posting) : ").append(cpuLine(laurel.postingCpu(), laurel.sent())).append('\n');
    }

    private void ingestText(StringBuilder b) {
        IngestLoad.ClosedLoop c = ingest.capacity();
        IngestLoad.OpenLoop o = ingest.openLoop();
        IngestLoad.Batch bt = ingest.batch();
        KafkaIngest.Result k = ingest.kafka();
        double producer = producer().perSecond();
        b.append("----- ingest (event type ").append(IngestLoad.EVENT_TYPE).append(", schema-validated) ----------\n");
        b.append(String.format(Locale.ROOT, "single capacity = %s events/s (%s bare producer), %d senders, %s;"
                        + " response p50 %s, p99 %s; %d failures%n", rate(c.acceptedPerSecond()),
                Stats.formatRatio(Stats.ratio(c.acceptedPerSecond(), producer)), c.concurrency(), seconds(c.nanos()),
                millis(c.responseNanos(), 50), millis(c.responseNanos(), 99), c.failures()));
        b.append(String.format(Locale.ROOT, "single @ %s/s   (%s of capacity, open loop, %,d requests in %s):%n",
                rate(ingest.openLoopRate()), percent(ingest.openLoopFraction()), o.schedule().count(),
                seconds(o.schedule().durationNanos())));
        b.append(String.format(Locale.ROOT, "                p50 %s, p99 %s, max %s from the due time"
                        + " (bare producer ack p50 %s, p99 %s); %d failures, %d unanswered%n",
                millis(o.latencyNanos(), 50), millis(o.latencyNanos(), 99), millis(o.latencyNanos(), 100),
                millis(ingest.producerLatencyNanos(), 50), millis(ingest.producerLatencyNanos(), 99), o.failures(),
                o.notCompleted()));
        b.append(String.format(Locale.ROOT, "batch           = %s events/s (%s bare producer), %,d requests of %d from"
                        + " %d senders; request p50 %s, p99 %s; %s%n", rate(bt.acceptedPerSecond()),
                Stats.formatRatio(Stats.ratio(bt.acceptedPerSecond(), producer)), bt.requests(), bt.batchSize(),
                bt.concurrency(), millis(bt.responseNanos(), 50), millis(bt.responseNanos(), 99), bt.counts()));
        b.append(String.format(Locale.ROOT, "kafka           = %s events/s forwarded (%s bare consumer, %s bare"
                        + " producer); %,d records, produced in %s, all forwarded at %s; %,d rejected, %,d duplicates%n",
                rate(k.forwardedPerSecond()), Stats.formatRatio(Stats.ratio(k.forwardedPerSecond(),
                        consumer().perSecond())), Stats.formatRatio(Stats.ratio(k.forwardedPerSecond(), producer)),
                k.records(), seconds(k.producedNanos()), seconds(k.forwardedNanos()), k.rejected(), k.duplicates()));
        b.append(String.format(Locale.ROOT, "target batch >= %s events/s: %s; target single p99 < %s ms at %s: %s%n",
                Stats.formatRate(IngestResults.BATCH_TARGET_PER_SECOND), batchVerdict(),
                Stats.formatMillis(IngestResults.SINGLE_P99_TARGET_NANOS), percent(IngestResults.TARGET_FRACTION),
                singleVerdict()));
    }

    private String batchVerdict() {
        return ingest.batchTargetMet() ? "MET" : String.format(Locale.ROOT, "NOT MET (%s of the target)",
                Stats.formatRatio(ingest.batch().acceptedPerSecond() / IngestResults.BATCH_TARGET_PER_SECOND));
    }

    private String singleVerdict() {
        if (ingest.openLoopFraction() != IngestResults.TARGET_FRACTION) {
            return "not measured (the open-loop run was at " + percent(ingest.openLoopFraction()) + " of capacity)";
        }
        if (ingest.openLoop().notCompleted() > 0) {
            return "NOT MET (" + ingest.openLoop().notCompleted() + " requests unanswered)";
        }
        return ingest.singleTargetMet() ? "MET" : String.format(Locale.ROOT, "NOT MET (p99 %s ms, %s of the limit)",
                Stats.formatMillis(ingest.openLoopP99()),
                Stats.formatRatio((double) ingest.openLoopP99() / IngestResults.SINGLE_P99_TARGET_NANOS));
    }

    // ------------------------------------------------------------------------------------------ markdown

    /** {@code docs/benchmarks.md}. */
    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Written by `io.laurel.bench.BenchMain` (module `bench`); every run replaces this file.\n\n");
        b.append("- **Date:** ").append(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(date.withNano(0))).append('\n');
        b.append("- **Scenarios:** ").append(scenarios()).append(" (`--scenario=all|e2e|ingest|scoring|leaderboard|badges|replay`)\n");
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
        if (ingest != null) {
            targetsMarkdown(b);
        }
        if (laurel != null) {
            e2eMarkdown(b);
        } else {
            b.append("## End to end: HTTP → scoring → leaderboard\n\nNot run (`--scenario=")
                    .append(options.scenario().wire()).append("`).\n\n");
        }
        if (ingest != null) {
            singleMarkdown(b);
            batchMarkdown(b);
            kafkaMarkdown(b);
            quietMarkdown(b);
        } else {
            b.append("## Ingest\n\nNot run (`--scenario=").append(options.scenario().wire()).append("`).\n\n");
        }
        if (leaderboard != null) {
            LeaderboardLoad.markdown(b, leaderboard);
        } else {
            b.append("## Leaderboards\n\nNot run (`--scenario=").append(options.scenario().wire()).append("`).\n\n");
        }
        if (badges != null) {
            BadgeLoad.markdown(b, badges, upsert());
        } else {
            b.append("## Badge evaluation\n\nNot run (`--scenario=").append(options.scenario().wire()).append("`).\n\n");
        }
        if (scoring != null) {
            ScoringLoad.markdown(b, scoring, command);
        } else {
            b.append("## Scoring and redemptions\n\nNot run (`--scenario=").append(options.scenario().wire())
                    .append("`).\n\n");
        }
        if (replay != null) {
            ReplayLoad.markdown(b, replay, command);
        } else {
            b.append("## Replay: rebuilds and a recalculation's dry run\n\nNot run (`--scenario=")
                    .append(options.scenario().wire()).append("`).\n\n");
        }
        baselinesMarkdown(b);
        howMarkdown(b);
        return b.toString();
    }

    private void targetsMarkdown(StringBuilder b) {
        IngestLoad.Batch bt = ingest.batch();
        IngestLoad.OpenLoop o = ingest.openLoop();
        b.append("## Targets\n\n");
        b.append("The issue's targets, for this 2-core machine, against this run's figures:\n\n");
        b.append("| target | measured in this run | met? |\n|---|---|---|\n");
        b.append(String.format(Locale.ROOT, "| batch HTTP ingest ≥ %s events/s | %s events/s (batches of %d, %d"
                        + " senders) | %s |%n", Stats.formatRate(IngestResults.BATCH_TARGET_PER_SECOND),
                rate(bt.acceptedPerSecond()), bt.batchSize(), bt.concurrency(), ingest.batchTargetMet() ? "**yes**"
                        : "**no** — " + Stats.formatRatio(bt.acceptedPerSecond()
                        / IngestResults.BATCH_TARGET_PER_SECOND) + " of the target"));
        b.append(String.format(Locale.ROOT, "| single-event `POST /v1/events` p99 < %s ms at %s of single-event"
                        + " capacity | p99 %s at %s events/s (%s of %s events/s), open loop, from the due time |"
                        + " %s |%n%n", Stats.formatMillis(IngestResults.SINGLE_P99_TARGET_NANOS).replace(".0", ""),
                percent(IngestResults.TARGET_FRACTION), millis(o.latencyNanos(), 99), rate(ingest.openLoopRate()),
                percent(ingest.openLoopFraction()), rate(ingest.capacity().acceptedPerSecond()),
                ingest.openLoopFraction() != IngestResults.TARGET_FRACTION ? "not measured at "
                        + percent(IngestResults.TARGET_FRACTION) : ingest.singleTargetMet() ? "**yes**"
                        : "**no** — " + Stats.formatRatio((double) ingest.openLoopP99()
                        / IngestResults.SINGLE_P99_TARGET_NANOS) + " of the limit"));
    }

    private void e2eMarkdown(StringBuilder b) {
        Baselines.Result pb = projectionBaseline();
        String pbName = pb == consumer() ? "bare Kafka consumer" : "bare batched PostgreSQL upsert";
        b.append("## End to end: HTTP → scoring → leaderboard\n\n");
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
        b.append("While posting: ").append(cpuLine(laurel.postingCpu(), laurel.sent())).append(".\n\n");
        if (laurel.projected()) {
            long behind = laurel.projectedNanos() - laurel.postNanos();
            b.append(String.format(Locale.ROOT, "The leaderboard was complete %s after the last 202%s%n%n",
                    seconds(behind), behind < 1_000_000_000L
                            ? ": the projections kept pace with ingest, so projected/s is bounded here by the rate"
                            + " of ingest, not by what the projections could do on their own."
                            : ": the projections fell behind ingest, so projected/s measures them."));
        }
        failures(b, laurel.failureSamples());
    }

    private static void failures(StringBuilder b, List<String> samples) {
        if (!samples.isEmpty()) {
            b.append("First failures:\n\n");
            samples.forEach(f -> b.append("- `").append(f.replace('`', '\'').replace('\n', ' ')).append("`\n"));
            b.append('\n');
        }
    }

    private void singleMarkdown(StringBuilder b) {
        IngestLoad.ClosedLoop c = ingest.capacity();
        IngestLoad.OpenLoop o = ingest.openLoop();
        long[] acks = ingest.producerLatencyNanos();
        double producer = producer().perSecond();
        b.append("## Single-event HTTP ingest (`POST /v1/events`, schema-validated)\n\n");
        b.append("Events of `").append(IngestLoad.EVENT_TYPE).append("`, whose schema is `").append(IngestLoad.SCHEMA)
                .append("`, e.g. `").append(IngestLoad.event(7, options.users(), "p-")).append("`; no idempotence key.")
                .append(" No rule gives this type points: the scoring projection reads these events and finds nothing")
                .append(" to do, the event-log projection stores every one (both run while ingest is measured).\n\n");
        b.append("### Capacity (closed loop)\n\n");
        b.append(String.format(Locale.ROOT, "%d senders, each posting its next event as soon as the previous one was"
                        + " answered, for %s; %,d requests.%n%n", c.concurrency(), seconds(c.nanos()), c.sent()));
        b.append("| figure | Laurel | baseline (same run) | ratio |\n|---|---:|---|---:|\n");
        b.append(String.format(Locale.ROOT, "| events accepted / s (202, over the run) | %s | bare Kafka producer: %s"
                        + " records/s | %s |%n", rate(c.acceptedPerSecond()), rate(producer),
                Stats.formatRatio(Stats.ratio(c.acceptedPerSecond(), producer))));
        b.append(String.format(Locale.ROOT, "| response time p50 / p99 / max | %s / %s / %s | | |%n",
                millis(c.responseNanos(), 50), millis(c.responseNanos(), 99), millis(c.responseNanos(), 100)));
        b.append(String.format(Locale.ROOT, "| failures (non-202 or I/O error) | %d of %,d | | |%n%n", c.failures(),
                c.sent()));
        b.append("While posting: ").append(cpuLine(c.cpu(), c.sent())).append(".\n\n");
        failures(b, c.failureSamples());

        b.append(String.format(Locale.ROOT, "### Fixed rate (open loop) at %s of capacity%n%n",
                percent(ingest.openLoopFraction())));
        b.append(String.format(Locale.ROOT, "%,d requests due at a fixed %s per second (%s × %s events/s) for %s;"
                        + " each is sent at its due time whether or not the earlier ones were answered, and its response"
                        + " time is measured **from its due time**, so time spent queueing (in the client, the"
                        + " server or the broker) counts.%n%n", o.schedule().count(), rate(ingest.openLoopRate()),
                percent(ingest.openLoopFraction()), rate(c.acceptedPerSecond()), seconds(o.schedule().durationNanos())));
        b.append("| figure | Laurel | baseline (same run) | ratio |\n|---|---:|---|---:|\n");
        b.append(String.format(Locale.ROOT, "| events accepted / s (202, first due time → last answer) | %s |"
                        + " scheduled: %s/s | %s |%n", rate(o.acceptedPerSecond()), rate(ingest.openLoopRate()),
                Stats.formatRatio(Stats.ratio(o.acceptedPerSecond(), ingest.openLoopRate()))));
        String ackName = String.format(Locale.ROOT, "bare Kafka producer, send → ack at the same rate (%,d records):",
                ingest.producerLatencySchedule().count());
        for (double p : new double[]{50, 99, 100}) {
            String label = p == 100 ? "max" : String.format(Locale.ROOT, "p%.0f", p);
            b.append(String.format(Locale.ROOT, "| response time %s (from the due time) | %s | %s %s | %s |%n",
                    label, millis(o.latencyNanos(), p), p == 50 ? ackName : "the same:", millis(acks, p),
                    latencyRatio(o.latencyNanos(), acks, p)));
        }
        b.append(String.format(Locale.ROOT, "| response time p50 / p99 from the actual send (what a closed-loop"
                        + " client would report) | %s / %s | | |%n", millis(o.serviceNanos(), 50),
                millis(o.serviceNanos(), 99)));
        b.append(String.format(Locale.ROOT, "| sender's lateness p99 / max (due time → send) | %s / %s | | |%n",
                millis(o.sendDelayNanos(), 99), millis(o.sendDelayNanos(), 100)));
        b.append(String.format(Locale.ROOT, "| failures (non-202 or I/O error) / unanswered | %d / %d of %,d | | |%n",
                o.failures(), o.notCompleted(), o.schedule().count()));
        GcPauses.Summary gc = o.cpu().gc();
        if (gc.known()) {
            b.append(String.format(Locale.ROOT, "| stop-the-world GC pauses of the JVM (client, platform and broker)"
                    + " during the run: count / longest / in all | %d / %d ms / %,d ms | | |%n", gc.count(),
                    gc.maxMillis(), gc.totalMillis()));
        }
        b.append('\n');
        b.append("While posting: ").append(cpuLine(o.cpu(), o.schedule().count())).append(".\n\n");
        String saturation = saturationNote(c.cpu(), c.sent(), o.cpu(), o.schedule().count());
        if (!saturation.isEmpty()) {
            b.append(saturation).append("\n\n");
        }
        failures(b, o.failureSamples());
    }

    /**
     * Says so when the open-loop run, meant to leave headroom, kept the machine as busy as the capacity run:
     * then its latencies are those of a saturated machine.
     */
    static String saturationNote(CpuMeter.Usage capacity, long capacityEvents, CpuMeter.Usage open, long openEvents) {
        if (Double.isNaN(open.machineBusy()) || open.machineBusy() < 0.95) {
            return "";
        }
        String perEvent = capacity.jvmCpuNanos() < 0 || open.jvmCpuNanos() < 0 ? "" : String.format(Locale.ROOT,
                " The JVM spent %.2f ms of CPU per event at this rate against %.2f ms at capacity: fewer events in"
                        + " flight share less work (fewer records per Kafka batch, fewer events per read of a"
                        + " connection), so the lower rate did not lower the load in proportion.",
                open.jvmCpuNanos() / 1e6 / Math.max(1, openEvents),
                capacity.jvmCpuNanos() / 1e6 / Math.max(1, capacityEvents));
        return String.format(Locale.ROOT, "The machine was %s busy during this run (%s during the capacity run):"
                        + " this rate did not leave the cores idle.%s The response times above are those of a"
                        + " machine without headroom, whatever part of it the platform itself used.",
                percent(open.machineBusy()), Double.isNaN(capacity.machineBusy()) ? "unknown"
                        : percent(capacity.machineBusy()), perEvent);
    }

    private void batchMarkdown(StringBuilder b) {
        IngestLoad.Batch bt = ingest.batch();
        double producer = producer().perSecond();
        b.append("## Batch HTTP ingest (`POST /v1/events:batch`)\n\n");
        b.append(String.format(Locale.ROOT, "%d senders, each posting its next batch of %d `%s` events (the same"
                        + " shape as above) as soon as the previous one was answered, for %s; %,d requests, %,d"
                        + " events.%n%n", bt.concurrency(), bt.batchSize(), IngestLoad.EVENT_TYPE, seconds(bt.nanos()),
                bt.requests(), bt.events()));
        b.append("| figure | Laurel | baseline (same run) | ratio |\n|---|---:|---|---:|\n");
        b.append(String.format(Locale.ROOT, "| events accepted / s (`accepted` results, over the run) | %s | bare"
                        + " Kafka producer: %s records/s | %s |%n", rate(bt.acceptedPerSecond()), rate(producer),
                Stats.formatRatio(Stats.ratio(bt.acceptedPerSecond(), producer))));
        b.append(String.format(Locale.ROOT, "| response time per batch request p50 / p99 / max | %s / %s / %s | | |%n",
                millis(bt.responseNanos(), 50), millis(bt.responseNanos(), 99), millis(bt.responseNanos(), 100)));
        b.append(String.format(Locale.ROOT, "| results: accepted / duplicate / rejected / missing | %s / %s / %s / %s"
                        + " | | |%n", count(bt.counts().accepted()), count(bt.counts().duplicates()),
                count(bt.counts().rejected()), count(bt.counts().missing())));
        b.append(String.format(Locale.ROOT, "| failed requests (non-200 or I/O error) | %d of %,d | | |%n%n",
                bt.failedRequests(), bt.requests()));
        b.append("While posting: ").append(cpuLine(bt.cpu(), bt.events())).append(".\n\n");
        failures(b, bt.failureSamples());
    }

    private void kafkaMarkdown(StringBuilder b) {
        KafkaIngest.Result k = ingest.kafka();
        b.append("## Kafka ingest (`laurel.events.inbound` → inbound gateway → `laurel.events`)\n\n");
        b.append(String.format(Locale.ROOT, "A plain `KafkaProducer` (the bare producer's settings) writes %,d"
                        + " envelopes of `%s` (%d bytes each, the JSON of `POST /v1/events`) with a valid"
                        + " `laurel-api-key` header to `<prefix>.events.inbound`; the platform's inbound gateway"
                        + " validates each like `POST /v1/events` and forwards it to `<prefix>.events`, consuming and"
                        + " producing in Kafka transactions. Timed from the first send until `GET /v1/ops/inbound`"
                        + " (polled every 20 ms) shows `forwarded` grown by %,d.%n%n", k.records(),
                IngestLoad.EVENT_TYPE, k.valueBytes(), k.records()));
        b.append("| figure | Laurel | baseline (same run) | ratio |\n|---|---:|---|---:|\n");
        b.append(String.format(Locale.ROOT, "| events forwarded / s (first send → all forwarded) | %s | bare Kafka"
                        + " consumer: %s records/s | %s |%n", rate(k.forwardedPerSecond()),
                rate(consumer().perSecond()), Stats.formatRatio(Stats.ratio(k.forwardedPerSecond(),
                        consumer().perSecond()))));
        b.append(String.format(Locale.ROOT, "| the same | | bare Kafka producer: %s records/s | %s |%n",
                rate(producer().perSecond()), Stats.formatRatio(Stats.ratio(k.forwardedPerSecond(),
                        producer().perSecond()))));
        b.append(String.format(Locale.ROOT, "| the bench's producer: all %,d acknowledged after | %s (%s records/s)"
                        + " | | |%n", k.records(), seconds(k.producedNanos()), rate(k.producedPerSecond())));
        b.append(String.format(Locale.ROOT, "| all forwarded after | %s | | |%n", seconds(k.forwardedNanos())));
        b.append(String.format(Locale.ROOT, "| forwarded / rejected / duplicates (gateway counters, grown by) |"
                        + " %s / %s / %s | | |%n%n", count(k.forwarded()), count(k.rejected()), count(k.duplicates())));
        b.append("While it ran: ").append(cpuLine(k.cpu(), k.records())).append(". Gateway afterwards: state `")
                .append(k.after().state()).append('`').append(k.after().lastError() == null ? ""
                        : ", last error `" + k.after().lastError().replace('`', '\'') + "`").append(".\n\n");
        if (k.complete()) {
            b.append(k.producedNanos() * 2 < k.forwardedNanos()
                    ? "The producer was done long before the gateway: forwarded/s measures the gateway.\n\n"
                    : "The gateway kept up with the producer: forwarded/s is bounded here by the rate of producing.\n\n");
        } else {
            b.append("The gateway had not forwarded everything when the ").append(options.timeout().toSeconds())
                    .append(" s timeout ran out.\n\n");
        }
    }

    private void quietMarkdown(StringBuilder b) {
        b.append("### Projections after each ingest scenario\n\n");
        b.append("Every ingested event is also read by the projections of `laurel.events` (scoring, event log),")
                .append(" while the scenario runs and after it. Before the next scenario starts, the bench waits")
                .append(" until they have had nothing to do for a second; *caught up* is when they last made progress,")
                .append(" counted from the end of the scenario.\n\n");
        b.append("| after | events ingested | caught up after | partitions still reported with a lag of 1 once quiet |\n")
                .append("|---|---:|---:|---|\n");
        quietRow(b, "single-event capacity", ingest.capacity().accepted(), ingest.afterCapacity());
        quietRow(b, "single-event open loop", ingest.openLoop().accepted(), ingest.afterOpenLoop());
        quietRow(b, "batch", ingest.batch().counts().accepted(), ingest.afterBatch());
        quietRow(b, "Kafka", ingest.kafka().forwarded(), ingest.afterKafka());
        b.append('\n');
        if (!ingest.afterKafka().residualLag().isEmpty()) {
            b.append("After Kafka ingest, `GET /v1/ops/projections` kept reporting a lag of 1 on partitions of")
                    .append(" `laurel.events` that the projections had read to the end: the gateway writes in Kafka")
                    .append(" transactions, whose commit marker takes an offset without being a record, so a")
                    .append(" projection's next offset (last record + 1) stays one short of the partition's end offset")
                    .append(" until another record arrives. The bench tolerates a lag of 1 when it waits.\n\n");
        }
    }

    private void quietRow(StringBuilder b, String after, long events, IngestLoad.Quiet q) {
        b.append("| ").append(after).append(" | ").append(count(events)).append(" | ")
                .append(q.reached() ? seconds(q.caughtUpNanos()) : "still busy after " + seconds(q.waitedNanos()))
                .append(" | ").append(residual(q.residualLag())).append(" |\n");
    }

    /** "scoring: 3, event_log: 3" from entries {@code "<projection> <topic>-<partition>=<lag>"}. */
    static String residual(List<String> lags) {
        if (lags.isEmpty()) {
            return "none";
        }
        java.util.Map<String, Integer> byProjection = new java.util.LinkedHashMap<>();
        for (String l : lags) {
            byProjection.merge(l.substring(0, Math.max(0, l.indexOf(' '))), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        byProjection.forEach((p, n) -> b.append(b.isEmpty() ? "" : ", ").append('`').append(p).append("`: ").append(n));
        return b.toString();
    }

    private void baselinesMarkdown(StringBuilder b) {
        b.append("## Baselines\n\nEach baseline ran ").append(producerRuns.runs().size()).append(" times in this run")
                .append(" (twice before the measured scenarios, once after them); the ratios use the median run.\n\n");
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
        if (ingest != null) {
            long[] acks = ingest.producerLatencyNanos();
            b.append(String.format(Locale.ROOT, "Latency baseline, run once, right after the open-loop run: the same"
                            + " producer settings, one record at a time at the open-loop rate (%s/s) for %s (%,d records"
                            + " of %d bytes, a fresh topic), each timed from its due time to its acknowledgement:"
                            + " p50 %s, p99 %s, max %s. `POST /v1/events` answers only after such an acknowledgement.%n%n",
                    rate(ingest.openLoopRate()), seconds(ingest.producerLatencySchedule().durationNanos()),
                    ingest.producerLatencySchedule().count(), recordBytes, millis(acks, 50), millis(acks, 99),
                    millis(acks, 100)));
        }
    }

    private void howMarkdown(StringBuilder b) {
        b.append("## How it is measured\n\n");
        b.append("- One JVM holds everything: the testkit's in-process Kafka broker (KRaft, 3 partitions per topic)")
                .append(" and embedded PostgreSQL (fsync off), a fresh database and topic prefix")
                .append(" (`LaurelTestInfra.fresh(\"bench\")`), and the whole platform (`StandaloneApplication`,")
                .append(" the four services on one port). Client, platform and infrastructure share the same cores.\n");
        b.append("- Order of a run (`all`): end-to-end warm-up, ingest warm-up, baselines twice, the end-to-end")
                .append(" measured phase, the four ingest runs (single-event capacity, open loop, batch, Kafka; each")
                .append(" once the projections are quiet), baselines once more.\n");
        b.append("- Over HTTP, the bench sends from virtual threads on one `java.net.http.HttpClient` (HTTP/1.1,")
                .append(" keep-alive) per scenario family, with the admin key (`Authorization: Bearer`).\n");
        b.append("\n**End to end**\n\n");
        b.append("- The bench declares `bench_event` (`{\"required\":[\"amount\"],\"properties\":")
                .append("{\"amount\":\"number\"}}`) and a rule of 1 point per event, then posts single events")
                .append(" (`POST /v1/events`, no idempotence key) from a fixed pool of senders.\n");
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
        b.append("\n**Ingest**\n\n");
        b.append("- `").append(IngestLoad.EVENT_TYPE).append("` is declared with the schema above; the bench checks")
                .append(" that an event missing `currency` is refused (422) before measuring. Warm-up, not measured: ")
                .append(String.format(Locale.ROOT, "%,d", options.warmup())).append(" single events, as many in")
                .append(" batches, as many through Kafka, then a wait for the projections.\n");
        b.append("- **capacity** = 202 answers ÷ the wall time from the first post to the last answer, with ")
                .append(options.concurrency()).append(" closed-loop senders for ")
                .append(options.ingestDuration().toSeconds()).append(" s. Ratio against the bare producer, as")
                .append(" end to end.\n");
        b.append("- **open loop**: rate = ").append(percent(options.openLoopFraction())).append(" of that capacity;")
                .append(" request *i* is due *i* ÷ rate after the start (computed from *i*, no drift) and is sent by a")
                .append(" virtual thread of its own started at that time, so a slow answer never delays the next")
                .append(" request. Response time = answer − due time (not − send time: that would hide queueing, the")
                .append(" *coordinated omission* of closed-loop clients; both are shown). Every request counts,")
                .append(" failed or not. The latency baseline is the bare producer's send → acknowledgement time at")
                .append(" the same rate, what `POST /v1/events` waits for before it answers.\n");
        b.append("- **batch** = `accepted` results ÷ the wall time from the first request to the last answer, ")
                .append(options.batchConcurrency()).append(" closed-loop senders, ").append(options.batchSize())
                .append(" events per request, for ").append(options.ingestDuration().toSeconds()).append(" s;")
                .append(" response time per request. Ratio against the bare producer (the batch's events are appended")
                .append(" one by one to `laurel.events`).\n");
        b.append("- **Kafka** = envelopes forwarded ÷ the time from the first send until the gateway's `forwarded`")
                .append(" counter has grown by all of them. Ratio against the bare consumer, as the gateway is a")
                .append(" consume-transform-produce loop (its transactional producer appends what it consumed), and")
                .append(" against the bare producer too.\n");
        b.append("- The projections are quiet (their `records_processed` sum unchanged for a second, no partition")
                .append(" behind by more than one offset, `GET /v1/ops/projections`) before each ingest run starts.\n");
        b.append("- The issue's targets (batch ≥ ").append(Stats.formatRate(IngestResults.BATCH_TARGET_PER_SECOND))
                .append(" events/s; single-event p99 < 20 ms at 70% of single-event capacity) are compared with the")
                .append(" figures as measured, on this machine, with client, platform, broker and database sharing")
                .append(" its cores.\n");
        b.append("\n**Baselines**\n\n");
        b.append("- The baselines are short (well under a second each) next to the scenarios, so")
                .append(" one of them can land in a busy moment of the machine: hence three runs and the median;")
                .append(" the range shows how noisy the machine was.\n");
    }
}
