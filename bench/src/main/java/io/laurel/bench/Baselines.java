package io.laurel.bench;

import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.Ids;
import io.laurel.events.Keys;
import io.laurel.events.json.LaurelJson;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The raw baselines, on the same broker and database as the platform: what a bare Kafka producer, a
 * bare Kafka consumer and a bare batched PostgreSQL upsert achieve on this machine at this moment.
 */
final class Baselines {
    static final int UPSERT_BATCH = 500;
    static final int BULK_CHUNK = 10_000;

    private Baselines() {
    }

    /** One measured figure: {@code count} items in {@code nanos}. */
    record Result(String name, long count, long nanos) {
        double perSecond() {
            return Stats.perSecond(count, nanos);
        }
    }

    /** The same baseline measured several times in the run; the ratios use the median. */
    record Series(String name, List<Result> runs) {
        Series {
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("no runs of " + name);
            }
            runs = List.copyOf(runs);
        }

        /** The run with the median rate (the lower middle one for an even count). */
        Result median() {
            List<Result> sorted = runs.stream().sorted(java.util.Comparator.comparingDouble(Result::perSecond)).toList();
            return sorted.get((sorted.size() - 1) / 2);
        }

        double min() {
            return runs.stream().mapToDouble(Result::perSecond).min().orElseThrow();
        }

        double max() {
            return runs.stream().mapToDouble(Result::perSecond).max().orElseThrow();
        }
    }

    /** A value of the size and shape of what the ingest appends to {@code laurel.events} for a bench event. */
    static byte[] sampleEnvelope(TopicRegistry topics) {
        var data = LaurelJson.mapper().createObjectNode().put("amount", 42);
        Instant now = Instant.now();
        EventAccepted e = new EventAccepted(Ids.timeOrdered().toString(), "default", "bench_event", 1, "u-123", data,
                EventAction.CREATE, null, now, now, List.of());
        return topics.events().valueSerde().serialize(topics.events().name(), e);
    }

    /** The producer settings of the platform's own producer (RuntimeAutoConfiguration), so the baseline is like for like. */
    static Map<String, Object> producerConfig(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /** Creates the topic and waits until every partition has a leader. */
    static void createTopic(String bootstrap, String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                org.apache.kafka.clients.admin.TopicDescription description;
                try {
                    description = admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name);
                } catch (java.util.concurrent.ExecutionException e) {
                    // created, but not yet in the metadata of the broker answering: seen once at the end of a run
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    description = null;
                }
                if (description != null && description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.isr().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " has no leader for every partition after 30 s");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    /** Sends {@code records} values to {@code topic} as fast as the producer takes them; timed until all are acknowledged. */
    static Result produce(String bootstrap, String topic, int records, int users, byte[] value) throws Exception {
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            // Outside the measurement: metadata, and one record per partition, acknowledged one by one, so the
            // timed records never meet a partition whose leader is still being set up. (Right after a topic is
            // created, an idempotent producer whose first batch is refused with NOT_LEADER_OR_FOLLOWER while
            // later batches are appended retries that first batch with OUT_OF_ORDER_SEQUENCE_NUMBER until its
            // delivery timeout: seen once here on a loaded machine.)
            for (PartitionInfo p : producer.partitionsFor(topic)) {
                producer.send(new ProducerRecord<>(topic, p.partition(), "probe", value)).get(60, TimeUnit.SECONDS);
            }
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, Keys.user("default", "u-" + (i % users)), value), (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            long nanos = System.nanoTime() - start;
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " baseline records failed", firstError.get());
            }
            return new Result("bare Kafka producer", records, nanos);
        }
    }

    /**
     * The bare producer's acknowledgement time at a fixed rate: record {@code i} is sent at its due time on
     * {@code schedule} (one at a time, as {@code POST /v1/events} sends them) and timed from that due time
     * until the broker acknowledged it. What an HTTP answer given after Kafka's ack cannot beat. Ascending.
     */
    static long[] producerLatency(String bootstrap, String topic, OpenLoopSchedule schedule, int users, byte[] value)
            throws Exception {
        int n = schedule.count();
        long[] ackedAt = new long[n];
        java.util.Arrays.fill(ackedAt, OpenLoopSchedule.NOT_COMPLETED);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (PartitionInfo p : producer.partitionsFor(topic)) {
                producer.send(new ProducerRecord<>(topic, p.partition(), "probe", value)).get(60, TimeUnit.SECONDS);
            }
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            for (int i = 0; i < n; i++) {
                long due = start + schedule.offsetNanos(i);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                int index = i;
                producer.send(new ProducerRecord<>(topic, Keys.user("default", "u-" + (i % users)), value), (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e);
                    } else {
                        ackedAt[index] = System.nanoTime();
                    }
                });
            }
            producer.flush();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " baseline records failed", firstError.get());
            }
            return schedule.latencies(start, ackedAt);
        }
    }

    /** Records {@link #produce} writes before the timed ones: one per partition. */
    static int probes(int partitions) {
        return partitions;
    }

    /** Reads {@code records} records of {@code topic} from the beginning with a fresh consumer. */
    static Result consume(String bootstrap, String topic, int records) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long start = System.nanoTime();
            long seen = 0;
            long bytes = 0;
            while (seen < records) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("bare consumer read only " + seen + " of " + records + " in 60 s");
                }
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> r : batch) {
                    seen++;
                    bytes += r.value().length + r.key().length();
                }
            }
            long nanos = System.nanoTime() - start;
            if (bytes <= 0) {
                throw new IllegalStateException("no bytes read");
            }
            return new Result("bare Kafka consumer", seen, nanos);
        }
    }

    /**
     * {@code INSERT ... ON CONFLICT DO UPDATE SET n = t.n + 1} over {@code keys} keys, {@value #UPSERT_BATCH}
     * rows per JDBC batch and per transaction. {@code warmup} rows first, not timed (they also create the keys).
     */
    static Result upsert(TestEnvironment env, int rows, int warmup, int keys) throws SQLException {
        try (Connection c = env.openConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS bench_baseline_upsert");
                st.execute("CREATE TABLE bench_baseline_upsert (k text PRIMARY KEY, n bigint NOT NULL)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_baseline_upsert AS t (k, n) VALUES (?, 1)"
                    + " ON CONFLICT (k) DO UPDATE SET n = t.n + 1")) {
                upsertRows(c, ps, 0, warmup, keys);
                long start = System.nanoTime();
                upsertRows(c, ps, warmup, rows, keys);
                long nanos = System.nanoTime() - start;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT coalesce(sum(n), 0) FROM bench_baseline_upsert")) {
                    rs.next();
                    long sum = rs.getLong(1);
                    if (sum != (long) rows + warmup) {
                        throw new IllegalStateException("upsert baseline counted " + sum + ", expected " + (rows + warmup));
                    }
                }
                c.commit();
                return new Result("bare batched PostgreSQL upsert", rows, nanos);
            }
        }
    }

    private static void upsertRows(Connection c, PreparedStatement ps, int from, int count, int keys) throws SQLException {
        int inBatch = 0;
        for (int i = from; i < from + count; i++) {
            ps.setString(1, "u-" + (i % keys));
            ps.addBatch();
            if (++inBatch == UPSERT_BATCH) {
                ps.executeBatch();
                c.commit();
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            ps.executeBatch();
            c.commit();
        }
    }

    /**
     * The ceiling of a PostgreSQL read model rebuilt in bulk: {@code rows} rows of the scoring ledger's shape (the
     * same columns, ids and key lengths as {@code bench-replay}'s entries) written with {@code COPY} through the
     * driver's copy API, {@value #BULK_CHUNK} rows per transaction, into a table without indexes; then the key and
     * the readers' indexes the ledger has once live, built once. Returns {copy, copy and indexes}.
     */
    static Result[] bulkLoad(TestEnvironment env, int rows) throws Exception {
        try (Connection c = env.openConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS bench_baseline_ledger");
                st.execute("CREATE TABLE bench_baseline_ledger (entry_id text NOT NULL, tenant text NOT NULL,"
                        + " user_id text NOT NULL, event_id text, event_type text, source_key text, rule_id text,"
                        + " rule_version int, points bigint NOT NULL, currency text NOT NULL, kind text NOT NULL,"
                        + " occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL, description text,"
                        + " groups text[], reverses text, recalculation text)");
            }
            c.setAutoCommit(false);
            org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            java.util.SplittableRandom random = new java.util.SplittableRandom(17);
            Instant base = Instant.now().minus(Duration.ofDays(60));
            String rule = Ids.timeOrdered().toString();
            long start = System.nanoTime();
            StringBuilder b = new StringBuilder(BULK_CHUNK * 260);
            for (int i = 0; i < rows; i++) {
                String event = Ids.timeOrdered().toString();
                Instant occurred = base.plusSeconds(random.nextLong(59L * 86_400));
                b.append(event).append(':').append(rule).append(":points\tbench-replay\tu").append(random.nextInt(10_000))
                        .append('\t').append(event).append("\tvisit\t\\N\t").append(rule).append("\t1\t10\tpoints\tawarded\t")
                        .append(occurred).append('\t').append(Instant.now()).append("\tvisits\t{}\t\\N\t\\N\n");
                if ((i + 1) % BULK_CHUNK == 0 || i == rows - 1) {
                    copy.copyIn("COPY bench_baseline_ledger FROM STDIN", new java.io.StringReader(b.toString()));
                    c.commit();
                    b.setLength(0);
                }
            }
            long copied = System.nanoTime() - start;
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE bench_baseline_ledger ADD PRIMARY KEY (entry_id)");
                st.execute("CREATE INDEX ON bench_baseline_ledger (tenant, user_id, occurred_at DESC)");
                st.execute("CREATE INDEX ON bench_baseline_ledger (event_id)");
                st.execute("CREATE INDEX ON bench_baseline_ledger (tenant, user_id, event_type, recorded_at DESC)"
                        + " WHERE kind = 'awarded'");
                c.commit();
                long total = System.nanoTime() - start;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM bench_baseline_ledger")) {
                    rs.next();
                    if (rs.getLong(1) != rows) {
                        throw new IllegalStateException("bulk load baseline wrote " + rs.getLong(1) + " rows, expected " + rows);
                    }
                }
                st.execute("DROP TABLE bench_baseline_ledger");
                c.commit();
                return new Result[]{new Result("bare COPY of ledger rows", rows, copied),
                        new Result("bare COPY of ledger rows, then its key and indexes", rows, total)};
            }
        }
    }
    /**
     * The floor of a deduplicated fold: {@code rows} record ids (UUIDv7, as the platform's ids) claimed in a keyed
     * table, {@value #BULK_CHUNK} a transaction, with the statement the projections use to recognise a record
     * already folded ({@code INSERT … SELECT unnest(?) ON CONFLICT DO NOTHING RETURNING}, as the leaderboards'
     * {@code applied_entries} and the badges' {@code processed}). Nothing else: no decoding, no rule, no read model.
     */
    static Result dedupKeys(TestEnvironment env, int rows) throws Exception {
        try (Connection c = env.openConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS bench_baseline_seen");
                st.execute("CREATE TABLE bench_baseline_seen (id text PRIMARY KEY)");
            }
            c.setAutoCommit(false);
            long claimed = 0;
            long start = System.nanoTime();
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO bench_baseline_seen (id)"
                    + " SELECT unnest(?::text[]) ON CONFLICT (id) DO NOTHING RETURNING id")) {
                for (int done = 0; done < rows; done += BULK_CHUNK) {
                    String[] ids = new String[Math.min(BULK_CHUNK, rows - done)];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = Ids.timeOrdered().toString();
                    }
                    ps.setArray(1, c.createArrayOf("text", ids));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            claimed++;
                        }
                    }
                    c.commit();
                }
            }
            long nanos = System.nanoTime() - start;
            if (claimed != rows) {
                throw new IllegalStateException("dedup baseline claimed " + claimed + " ids, expected " + rows);
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE bench_baseline_seen");
                c.commit();
            }
            return new Result("bare dedup of record ids", rows, nanos);
        }
    }
}
