package io.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.json.LaurelJson;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Replay: {@code N} accepted events of one tenant (one rule, one count badge) produced straight to
 * {@code laurel.events} and folded by the live projections; then rebuilds of scoring ({@code laurel.events}),
 * leaderboards ({@code laurel.points}) and badges (both) from offset 0, each timed from the request until it is
 * live, and a recalculation's dry run after the rule changed from 10 to 20 points (every event changes),
 * timed until ready. Beside them, in the same run, a bare {@code KafkaConsumer} reads the same topics from the
 * beginning (before and after; the faster run is the baseline).
 */
final class ReplayLoad {
    static final String TENANT = "bench-replay";
    private static final int USERS = 10_000;

    private final int port;
    private final String adminKey;
    private final TestEnvironment env;
    private final LongSupplier catalogPosition;
    private final HttpClient http = HttpClient.newHttpClient();
    private String key;
    private String ruleId;

    ReplayLoad(int port, String adminKey, TestEnvironment env, LongSupplier catalogPosition) {
        this.port = port;
        this.adminKey = adminKey;
        this.env = env;
        this.catalogPosition = catalogPosition;
    }

    /** One timed phase: records folded (or read) and how long it took. */
    record Phase(String name, long records, long nanos, long[] cpuNanos) {
        double perSecond() {
            return nanos <= 0 ? 0 : records * 1e9 / nanos;
        }
    }

    record Results(int events, long produceNanos, long liveNanos, Phase bareEvents, Phase barePoints,
                   Phase tunedEvents, Phase tunedPoints, Phase scoring,
                   Phase leaderboards, Phase badges, Phase dryRun, long dryRunChanged, long eventsRecords,
                   long pointsRecords, Baselines.Result bulkCopy, Baselines.Result bulkIndexed,
                   Baselines.Result dedup) {
        double bareBoth() {
            return (bareEvents.records() + barePoints.records()) * 1e9 / (bareEvents.nanos() + barePoints.nanos());
        }
    }

    void declare() throws Exception {
        send("POST", "/v1/admin/tenants", adminKey, "{\"id\":\"" + TENANT + "\",\"name\":\"Bench replay\"}", 201, 409);
        key = json(send("POST", "/v1/admin/tenants/" + TENANT + "/api-keys", adminKey, "{\"name\":\"bench\",\"scopes\":"
                + "[\"catalog:write\",\"catalog:read\",\"points:read\",\"ops\"]}", 201)).path("key").asText();
        send("POST", "/v1/admin/event-types", key, "{\"name\":\"visit\"}", 201, 409);
        ruleId = json(send("POST", "/v1/admin/rules", key, "{\"name\":\"visits\",\"event_type\":\"visit\",\"points\":10}",
                201)).path("id").asText();
        send("POST", "/v1/admin/badges", key, "{\"id\":\"regular\",\"name\":\"Regular\",\"kind\":\"count\","
                + "\"event_type\":\"visit\",\"threshold\":5}", 201, 409);
    }

    Results run(int events, Duration timeout) throws Exception {
        TopicRegistry topics = env.topics();
        String eventsTopic = topics.events().name();
        String pointsTopic = topics.points().name();
        long position = catalogPosition.getAsLong();
        BenchMain.say("replay: producing %,d events of tenant %s straight to laurel.events", events, TENANT);
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(13);
        Instant base = Instant.now().minus(Duration.ofDays(60));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                Instant occurred = base.plusSeconds(random.nextLong(59L * 86_400));
                // ids as the ingest service gives them (UUIDv7, in order of arrival)
                EventAccepted e = new EventAccepted(io.laurel.events.Ids.timeOrdered().toString(), TENANT, "visit", 1,
                        "u" + random.nextInt(USERS),
                        JsonNodeFactory.instance.objectNode().put("page", random.nextInt(100)), EventAction.CREATE, null,
                        occurred, Instant.now(), List.of(), position);
                producer.send(new ProducerRecord<>(eventsTopic, e.key(), topics.events().valueSerde().serialize(eventsTopic, e)));
            }
            producer.flush();
        }
        long produced = System.nanoTime() - start;
        BenchMain.say("replay: produced in %.1f s; waiting for the live projections", produced / 1e9);
        Map<Integer, Long> eventEnds = ProjectionProgress.endOffsets(env, eventsTopic, topics.events().partitions());
        await("scoring", () -> ProjectionProgress.committed(env, "scoring", eventsTopic, eventEnds), timeout);
        Map<Integer, Long> pointEnds = ProjectionProgress.endOffsets(env, pointsTopic, topics.points().partitions());
        await("leaderboards", () -> ProjectionProgress.committed(env, "leaderboards", pointsTopic, pointEnds), timeout);
        await("badges", () -> ProjectionProgress.committed(env, "badges", eventsTopic, eventEnds)
                && ProjectionProgress.committed(env, "badges", pointsTopic, pointEnds), timeout);
        long live = System.nanoTime() - start;
        BenchMain.say("replay: live projections caught up %.1f s after the first event", live / 1e9);

        Phase bareEvents1 = bare(eventsTopic, false);
        Phase barePoints1 = bare(pointsTopic, false);
        BenchMain.say("replay: bare consumer %s records/s on laurel.events (%,d), %s on laurel.points (%,d)",
                Stats.formatRate(bareEvents1.perSecond()), bareEvents1.records(),
                Stats.formatRate(barePoints1.perSecond()), barePoints1.records());
        Phase scoring = rebuild("scoring", timeout);
        Phase leaderboards = rebuild("leaderboards", timeout);
        Phase badges = rebuild("badges", timeout);

        Baselines.Result[] bulk = Baselines.bulkLoad(env, events);
        BenchMain.say("replay: bare bulk load of %,d ledger rows: COPY %s rows/s (%.1f s), with the key and indexes built"
                        + " after %s rows/s (%.1f s)", events, Stats.formatRate(bulk[0].perSecond()), bulk[0].nanos() / 1e9,
                Stats.formatRate(bulk[1].perSecond()), bulk[1].nanos() / 1e9);
        Baselines.Result dedup = Baselines.dedupKeys(env, events);
        BenchMain.say("replay: bare dedup of %,d record ids: %s ids/s (%.1f s)", events,
                Stats.formatRate(dedup.perSecond()), dedup.nanos() / 1e9);

        send("PUT", "/v1/admin/rules/" + ruleId, key, "{\"name\":\"visits\",\"event_type\":\"visit\",\"points\":20}", 200);
        Thread.sleep(500); // the catalog view of the scoring service sees the new version
        CpuMeter cpu = CpuMeter.start();
        long dryStart = System.nanoTime();
        String id = json(send("POST", "/v1/ops/recalculations", key, "{}", 202)).path("id").asText();
        JsonNode r = awaitStatus("/v1/ops/recalculations/" + id, key, "ready", timeout);
        long dryNanos = System.nanoTime() - dryStart;
        CpuMeter.Usage used = cpu.stop();
        Phase dryRun = new Phase("recalculation dry run", r.path("records_total").asLong(), dryNanos,
                new long[]{used.jvmCpuNanos()});
        long changed = r.path("events_changed").asLong();
        BenchMain.say("replay: dry run over %,d records (%,d events of the tenant, %,d changed) in %.1f s: %s records/s",
                dryRun.records(), r.path("events_scanned").asLong(), changed, dryNanos / 1e9,
                Stats.formatRate(dryRun.perSecond()));
        send("DELETE", "/v1/ops/recalculations/" + id, key, null, 200);

        Phase bareEvents2 = bare(eventsTopic, false);
        Phase barePoints2 = bare(pointsTopic, false);
        Phase tunedEvents = bare(eventsTopic, true);
        Phase tunedPoints = bare(pointsTopic, true);
        BenchMain.say("replay: tuned consumer %s records/s on laurel.events, %s on laurel.points",
                Stats.formatRate(tunedEvents.perSecond()), Stats.formatRate(tunedPoints.perSecond()));
        Phase bareEvents = bareEvents2.perSecond() > bareEvents1.perSecond() ? bareEvents2 : bareEvents1;
        Phase barePoints = barePoints2.perSecond() > barePoints1.perSecond() ? barePoints2 : barePoints1;
        BenchMain.say("replay: bare consumer again %s records/s on laurel.events, %s on laurel.points",
                Stats.formatRate(bareEvents2.perSecond()), Stats.formatRate(barePoints2.perSecond()));
        return new Results(events, produced, live, bareEvents, barePoints, tunedEvents, tunedPoints, scoring, leaderboards,
                badges, dryRun, changed, bareEvents.records(), barePoints.records(), bulk[0], bulk[1],
                dedup);
    }

    private Phase rebuild(String projection, Duration timeout) throws Exception {
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        String id = json(send("POST", "/v1/ops/projections/" + projection + "/rebuild", adminKey, "{\"switch\":\"auto\"}",
                202)).path("id").asText();
        JsonNode r = awaitStatus("/v1/ops/rebuilds/" + id, adminKey, "completed", timeout);
        long nanos = System.nanoTime() - start;
        CpuMeter.Usage used = cpu.stop();
        Phase p = new Phase(projection + " rebuild", r.path("records_processed").asLong(), nanos,
                new long[]{used.jvmCpuNanos()});
        BenchMain.say("replay: %s rebuilt from offset 0: %,d records in %.1f s, %s records/s", projection, p.records(),
                nanos / 1e9, Stats.formatRate(p.perSecond()));
        return p;
    }

    private JsonNode awaitStatus(String path, String k, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = json(send("GET", path, k, null, 200));
            String s = r.path("status").asText();
            if (s.equals(status)) {
                return r;
            }
            if (s.equals("failed") || s.equals("cancelled")) {
                throw new IllegalStateException(path + " ended " + s + ": " + r);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(path + " not " + status + " within " + timeout);
    }

    /**
     * A fresh consumer reads {@code topic} from the beginning to its end offsets, counting records and bytes:
     * with the client's defaults (the baseline, as the other benchmarks' bare consumer), or tuned for bulk
     * reads (10,000 records a poll, 1 MiB minimum fetch), shown beside it.
     */
    private Phase bare(String topic, boolean tuned) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (tuned) {
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
            config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1 << 20);
            config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        }
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            c.seekToBeginning(partitions);
            CpuMeter cpu = CpuMeter.start();
            long start = System.nanoTime();
            long seen = 0;
            long bytes = 0;
            long deadline = start + Duration.ofSeconds(300).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("bare consumer of " + topic + " did not reach the end in 300 s");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    seen++;
                    bytes += r.value().length;
                }
            }
            long nanos = System.nanoTime() - start;
            if (bytes <= 0) {
                throw new IllegalStateException("no bytes read from " + topic);
            }
            return new Phase((tuned ? "tuned " : "bare ") + "consumer of " + topic, seen, nanos,
                    new long[]{cpu.stop().jvmCpuNanos()});
        }
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(String what, Check check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not catch up within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode json(String body) throws Exception {
        return LaurelJson.mapper().readTree(body);
    }

    private String send(String method, String path, String k, String body, int... expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + k).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (r.statusCode() == status) {
                return r.body();
            }
        }
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }

    // ---------------------------------------------------------------------------------------------- report

    static void text(StringBuilder b, Results r) {
        b.append(String.format(Locale.ROOT, "replay        = %,d events; bare consumer %s records/s (laurel.events), %s"
                        + " (laurel.points)%n", r.events(), Stats.formatRate(r.bareEvents().perSecond()),
                Stats.formatRate(r.barePoints().perSecond())));
        for (Phase p : List.of(r.scoring(), r.leaderboards(), r.badges(), r.dryRun())) {
            b.append(String.format(Locale.ROOT, "  %-26s %s records/s (%s of the bare consumer of its topics), %.1f s%n",
                    p.name(), Stats.formatRate(p.perSecond()), Stats.formatRatio(p.perSecond() / bare(r, p)),
                    p.nanos() / 1e9));
        }
        b.append(String.format(Locale.ROOT, "  dry run / scoring rebuild  %.2f× the time%n",
                (double) r.dryRun().nanos() / r.scoring().nanos()));
        for (Baselines.Result bulk : List.of(r.bulkCopy(), r.bulkIndexed())) {
            b.append(String.format(Locale.ROOT, "  %-26s %s rows/s (%s of the bare consumer of laurel.events)%n",
                    bulk.name(), Stats.formatRate(bulk.perSecond()),
                    Stats.formatRatio(bulk.perSecond() / r.bareEvents().perSecond())));
        }
        b.append(String.format(Locale.ROOT, "  %-26s %s ids/s (%s of the bare consumer of laurel.points)%n",
                r.dedup().name(), Stats.formatRate(r.dedup().perSecond()),
                Stats.formatRatio(r.dedup().perSecond() / r.barePoints().perSecond())));
    }

    private static double bare(Results r, Phase p) {
        if (p == r.leaderboards()) {
            return r.barePoints().perSecond();
        }
        if (p == r.badges()) {
            return r.bareBoth();
        }
        return r.bareEvents().perSecond();
    }

    static void markdown(StringBuilder b, Results r, String command) {
        b.append("## Replay: rebuilds and a recalculation's dry run\n\n");
        b.append(String.format(Locale.ROOT, "%,d accepted events of one tenant (one rule of 10 points, one count badge,"
                        + " %,d users; UUIDv7 event ids, as the ingest service assigns them) produced straight to `laurel.events` (%.1f s) and folded by the live projections"
                        + " (caught up %.1f s after the first event). `laurel.events` then held %,d records and"
                        + " `laurel.points` %,d. Each rebuild is timed from `POST /v1/ops/projections/{name}/rebuild`"
                        + " until it is live (`completed`); the dry run from `POST /v1/ops/recalculations` (after the"
                        + " rule went to 20 points, so every event changes) until `ready`. The bare consumer reads the"
                        + " same topics from the beginning in the same run, before and after (the faster is shown),"
                        + " with the client's defaults (as the other benchmarks' bare consumer); tuned for bulk reads"
                        + " (10,000 records a poll, 1 MiB minimum fetch) it read %s records/s (`laurel.events`) and %s"
                        + " (`laurel.points`). Command: `%s`.%n%n", r.events(), USERS, r.produceNanos() / 1e9,
                r.liveNanos() / 1e9, r.eventsRecords(), r.pointsRecords(), Stats.formatRate(r.tunedEvents().perSecond()),
                Stats.formatRate(r.tunedPoints().perSecond()), command));
        b.append("| phase | records | seconds | records/s | bare consumer of the same topics | ratio |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (Phase p : List.of(r.scoring(), r.leaderboards(), r.badges(), r.dryRun())) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %s | %s | **%s** |%n", p.name(), p.records(),
                    p.nanos() / 1e9, Stats.formatRate(p.perSecond()), Stats.formatRate(bare(r, p)),
                    Stats.formatRatio(p.perSecond() / bare(r, p))));
        }
        b.append(String.format(Locale.ROOT, "%nThe dry run took %.2f× the time of the scoring rebuild (target: at most"
                        + " 2×); it found %,d changed events. Target for each rebuild: at least 0.5× the bare consumer.%n%n",
                (double) r.dryRun().nanos() / r.scoring().nanos(), r.dryRunChanged()));
        b.append(String.format(Locale.ROOT, "The ceiling of any PostgreSQL read model here, measured in the same run: %,d rows"
                        + " of the ledger's shape written with `COPY` (%,d rows a transaction, no indexes) went in at %s rows/s"
                        + " (**%s** of the bare consumer of `laurel.events`); with the ledger's key and readers' indexes"
                        + " built after, %s rows/s (**%s**). The scoring rebuild writes one ledger row per event, so it ran"
                        + " at %s of that ceiling.%n%n", r.bulkIndexed().count(), Baselines.BULK_CHUNK,
                Stats.formatRate(r.bulkCopy().perSecond()),
                Stats.formatRatio(r.bulkCopy().perSecond() / r.bareEvents().perSecond()),
                Stats.formatRate(r.bulkIndexed().perSecond()),
                Stats.formatRatio(r.bulkIndexed().perSecond() / r.bareEvents().perSecond()),
                Stats.formatRatio(r.scoring().perSecond() / r.bulkIndexed().perSecond())));
        b.append(String.format(Locale.ROOT, "The floor of a deduplicated fold, in the same run: %,d record ids claimed in a"
                        + " keyed table (`INSERT … SELECT unnest(?) ON CONFLICT DO NOTHING RETURNING`, %,d a transaction, the"
                        + " statement the leaderboards and badges recognise a record already folded with) went in at %s"
                        + " ids/s (**%s** of the bare consumer of `laurel.points`), with no decoding, rule or read model."
                        + " Every rebuild claims at least one id per record it folds: the ledger's event id, an applied"
                        + " entry, a processed source.%n%n", r.dedup().count(), Baselines.BULK_CHUNK,
                Stats.formatRate(r.dedup().perSecond()),
                Stats.formatRatio(r.dedup().perSecond() / r.barePoints().perSecond())));
    }
}
