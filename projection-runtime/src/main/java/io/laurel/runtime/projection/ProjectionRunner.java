package io.laurel.runtime.projection;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs one generation of one projection on its own consumer thread: poll a batch, apply it and store
 * the consumed offsets in one PostgreSQL transaction, repeat. On partition assignment it seeks to the
 * offsets stored for its generation, so Kafka's own committed offsets are never used.
 */
public final class ProjectionRunner {
    private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);

    /**
     * Frees a group instance id that a dead predecessor of this process still holds (a member killed without
     * leaving keeps its partitions until its session expires): called with the group and instance id before the
     * consumer joins.
     */
    @FunctionalInterface
    interface MemberRelease {
        void release(String groupId, String instanceId);

        MemberRelease NONE = (group, instance) -> { };
    }

    /** What the runner does with a failing record. */
    public record Retry(int maxAttempts, Duration backoff, Duration maxBackoff) {
        public static final Retry DEFAULT = new Retry(3, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    private final Projection projection;
    private final int generation;
    private final String schema;
    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Map<String, Object> consumerConfig;
    /** A live batch smaller than this lingers: {@link #LINGER_BELOW}, or max.poll.records if that is smaller. */
    private final int lingerBelow;
    private final DeadLetters deadLetters;
    private final Retry retry;
    private final MemberRelease release;
    private final Map<TopicPartition, long[]> partitions = new ConcurrentHashMap<>();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    private volatile ReplayPolicy policy;
    private volatile Supplier<Map<TopicPartition, Long>> holdAt;
    private volatile boolean running;
    private volatile String state = "starting";
    private volatile String lastError;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private io.laurel.runtime.kafka.ConsumerLoop loop;
    private long lastLagCheck;
    /** When the broker last answered a lag check (ms); the broker counts as out after {@link #BROKER_SILENCE_MS}. */
    private volatile long lastBrokerAnswer = System.currentTimeMillis();
    private volatile boolean brokerOut;
    static final long BROKER_SILENCE_MS = 5_000;

    ProjectionRunner(Projection projection, int generation, DataSource dataSource, Producer<String, byte[]> producer,
                     Map<String, Object> consumerConfig, DeadLetters deadLetters, Retry retry, ReplayPolicy policy,
                     Supplier<Map<TopicPartition, Long>> holdAt, MemberRelease release) {
        this.projection = projection;
        this.release = release;
        this.generation = generation;
        this.schema = ProjectionStore.schemaOf(projection.name(), generation);
        this.dataSource = dataSource;
        this.producer = producer;
        this.consumerConfig = consumerConfig;
        this.lingerBelow = Math.min(LINGER_BELOW, maxPollRecords(consumerConfig));
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.policy = policy;
        this.holdAt = holdAt;
    }

    /**
     * Starts the consumer thread: the shared {@link io.laurel.runtime.kafka.ConsumerLoop}, whose sessions each join
     * the group and fold until stopped. A session that fails (an error no batch retry handles: a bug of the
     * projection, a broker that refuses the consumer) is reported ({@code failed}, with its error) and followed by a
     * new one after the shared back-off, from the stored offsets: a projection never stays idle until its service
     * restarts, and turns {@code running} again once a session works.
     */
    public synchronized void start() {
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        loop = new io.laurel.runtime.kafka.ConsumerLoop("projection-" + projection.name() + "-g" + generation,
                new io.laurel.runtime.kafka.Backoff(retry.backoff(), retry.maxBackoff()),
                new io.laurel.runtime.kafka.ConsumerLoop.Session() {
                    @Override
                    public void run() throws Exception {
                        consume();
                    }

                    @Override
                    public void wakeup() {
                        KafkaConsumer<String, byte[]> c = consumer;
                        if (c != null) {
                            c.wakeup();
                        }
                    }

                    @Override
                    public void failed(String name, Exception e, int failures, Duration retryIn) {
                        sessionFailed(e, failures);
                    }
                });
        loop.start();
    }

    /** Stops after the batch in hand is committed (or abandoned, if it cannot be). */
    public void stop(Duration timeout) {
        running = false;
        io.laurel.runtime.kafka.ConsumerLoop l;
        synchronized (this) {
            l = loop;
        }
        if (l == null) {
            state = "stopped";
            return;
        }
        if (!l.stop(timeout)) {
            log.warn("projection {} g{} did not stop within {}", projection.name(), generation, timeout);
        } else {
            state = "stopped";
        }
    }

    /**
     * Whether this runner still folds: started, not stopped, and its sessions not failing again and again (a
     * rebuild gives up on a consumer that cannot work; a live projection keeps retrying).
     */
    public boolean isAlive() {
        io.laurel.runtime.kafka.ConsumerLoop l = loop;
        return running && l != null && l.isAlive() && l.failures() < GIVE_UP_AFTER_FAILURES;
    }

    /** Sessions failed in a row after which {@link #isAlive} says no (about 15 s with the default back-off). */
    static final int GIVE_UP_AFTER_FAILURES = 8;

    /** A poll came back or a batch was applied: a session that had failed works again. */
    private void working() {
        loop.healthy();
        if ("failed".equals(state)) {
            state = policy instanceof ReplayPolicy.Rebuilding ? "rebuilding" : "running";
            log.info("projection {} g{} works again after: {}", projection.name(), generation, lastError);
        }
    }

    private void sessionFailed(Exception e, int failures) {
        if (unreleased(e)) {
            state = "assigning";
            lastError = Failures.describe(e);
            log.warn("projection {} g{}: instance id {} is still held by a member that did not leave; removing it"
                    + " and joining again", projection.name(), generation, groupInstanceId());
            return;
        }
        if (Failures.isOutage(e)) {
            // the database or the broker away while joining: an outage, not a failure (the loop waits its back-off)
            state = "retrying";
            lastError = Failures.describe(e);
            if (failures == 1 || failures % 10 == 0) {
                log.warn("projection {} g{}: infrastructure unavailable, a new consumer follows: {}", projection.name(),
                        generation, lastError);
            }
            return;
        }
        // failed, and retrying: "failed" until a session works again
        state = "failed";
        lastError = Failures.describe(e);
        if (failures == 1 || failures % 10 == 0) {
            log.error("projection {} g{} failed (failure {} in a row); a new consumer follows after the back-off",
                    projection.name(), generation, failures, e);
        }
    }

    void becomeLive(Map<TopicPartition, Long> switchOffsets) {
        this.policy = new ReplayPolicy.LiveFrom(Map.copyOf(switchOffsets));
        this.holdAt = null;
    }

    public int generation() {
        return generation;
    }

    /** The runner's state; {@code retrying} also while the broker has not answered for a while (an outage). */
    public String state() {
        String s = state;
        return brokerOut && ("running".equals(s) || "rebuilding".equals(s)) ? "retrying" : s;
    }

    public String lastError() {
        return lastError;
    }

    public long processed() {
        return processed.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public List<ProjectionStatus.PartitionStatus> partitions() {
        List<ProjectionStatus.PartitionStatus> list = new ArrayList<>();
        partitions.forEach((tp, v) -> list.add(new ProjectionStatus.PartitionStatus(tp.topic(), tp.partition(), v[0],
                Math.max(0, v[1] - v[0]))));
        list.sort((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                : a.topic().compareTo(b.topic()));
        return list;
    }

    public long lag() {
        return partitions.values().stream().mapToLong(v -> Math.max(0, v[1] - v[0])).sum();
    }

    /** The static member id of this runner's consumer, or null for a dynamic member. */
    String groupInstanceId() {
        return (String) consumerConfig.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    /**
     * One session: joins the group and folds until stopped; throws when it fails. A join refused because a member
     * that died without leaving still holds this runner's instance id (its removal failed or came too early) fails
     * too: the next session removes it again and joins anew.
     */
    private void consume() {
        String instanceId = groupInstanceId();
        if (instanceId != null) {
            release.release((String) consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG), instanceId);
        }
        KafkaConsumer<String, byte[]> c = null;
        try {
            c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            consumer = c;
            c.subscribe(projection.topics(), new SeekToStoredOffsets(c));
            if (!"failed".equals(state)) {
                state = policy instanceof ReplayPolicy.Rebuilding ? "rebuilding" : "running";
            }
            while (running) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    working();
                    refreshLag(c, false);
                    continue;
                }
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
                records.forEach(batch::add);
                linger(c, batch);
                Supplier<Map<TopicPartition, Long>> hold = holdAt;
                if (hold != null) {
                    batch = holdBack(c, batch, hold.get());
                    if (batch.isEmpty()) {
                        sleep(Duration.ofMillis(50));
                        continue;
                    }
                }
                handle(batch);
                working();
                refreshLag(c, true);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            // stop() while the consumer was busy: nothing uncommitted survives, the next start resumes
        } catch (Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            // a projection's bug (an AssertionError, a LinkageError): this session ends, the next retries the batch
            throw new IllegalStateException("projection " + projection.name() + " threw " + e, e);
        } finally {
            consumer = null;
            if (c != null) {
                closeLeaving(c);
            }
        }
    }

    /**
     * A small batch waits up to {@link #LINGER_MS} for more records before it is applied: under a steady trickle of
     * events each poll would otherwise bring a handful, and every handful costs a whole transaction (offsets, side
     * effects, commit). Costs nothing while idle (only a batch that has records lingers) and at most LINGER_MS of
     * latency; a rebuild, which always finds records waiting, never lingers.
     */
    private void linger(KafkaConsumer<String, byte[]> c, List<ConsumerRecord<String, byte[]>> batch) {
        // never past the batch size the consumer is configured for: a full poll means more is waiting anyway
        int below = lingerBelow;
        if (batch.size() >= below || policy instanceof ReplayPolicy.Rebuilding) {
            return;
        }
        long until = System.nanoTime() + LINGER_MS * 1_000_000L;
        for (long left = LINGER_MS; running && batch.size() < below && left > 0;
             left = (until - System.nanoTime()) / 1_000_000L) {
            int polls = revocations;
            ConsumerRecords<String, byte[]> more = c.poll(Duration.ofMillis(left));
            more.forEach(batch::add);
            if (revocations != polls) {
                // partitions were taken away during this poll: what was read of them belongs to their next owner now
                var held = c.assignment();
                batch.removeIf(r -> !held.contains(new TopicPartition(r.topic(), r.partition())));
                return;
            }
        }
    }

    private static int maxPollRecords(Map<String, Object> config) {
        Object v = config.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        return v == null ? ConsumerConfig.DEFAULT_MAX_POLL_RECORDS : Integer.parseInt(v.toString());
    }

    /** Counts revocations, so a lingering batch can tell that its partitions changed under it. */
    private volatile int revocations;

    /** A batch smaller than this (and than max.poll.records) lingers for more records… */
    static final int LINGER_BELOW = 500;
    /** …this long at most (ms). */
    static final long LINGER_MS = 20;

    private static boolean unreleased(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof org.apache.kafka.common.errors.UnreleasedInstanceIdException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A stopped runner leaves its group for good, static member or not, so its partitions move on at once (to
     * another instance, or to the next runner of this process); only a crash leaves a member behind.
     */
    private void closeLeaving(KafkaConsumer<String, byte[]> c) {
        try {
            c.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            log.warn("projection {} g{}: consumer did not close cleanly: {}", projection.name(), generation, e.toString());
        }
    }

    /** A generation being rebuilt never gets ahead of the live one: records past its offsets wait. */
    private List<ConsumerRecord<String, byte[]>> holdBack(KafkaConsumer<String, byte[]> c,
                                                         List<ConsumerRecord<String, byte[]>> batch,
                                                         Map<TopicPartition, Long> bounds) {
        List<ConsumerRecord<String, byte[]>> admitted = new ArrayList<>(batch.size());
        Map<TopicPartition, Long> rewind = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (rewind.containsKey(tp)) {
                continue;
            }
            if (r.offset() < bounds.getOrDefault(tp, 0L)) {
                admitted.add(r);
            } else {
                rewind.put(tp, r.offset());
            }
        }
        rewind.forEach(c::seek);
        return admitted;
    }

    private void handle(List<ConsumerRecord<String, byte[]>> batch) {
        int attempt = 0;
        while (running) {
            try {
                applyInTransaction(batch);
                processed.addAndGet(batch.size());
                restoreState();
                return;
            } catch (Exception e) {
                if (Failures.isOutage(e)) {
                    outage(e, attempt++);
                    continue;
                }
                log.warn("projection {} g{}: batch of {} failed ({}); retrying record by record",
                        projection.name(), generation, batch.size(), Failures.describe(e));
                for (ConsumerRecord<String, byte[]> r : batch) {
                    if (!handleOne(r)) {
                        return;
                    }
                }
                return;
            }
        }
    }

    /** Returns false when the runner stopped before the record was either applied or dead-lettered. */
    private boolean handleOne(ConsumerRecord<String, byte[]> record) {
        int failures = 0;
        int outages = 0;
        while (running) {
            try {
                applyInTransaction(List.of(record));
                processed.incrementAndGet();
                restoreState();
                return true;
            } catch (Exception e) {
                if (Failures.isOutage(e)) {
                    outage(e, outages++);
                    continue;
                }
                failures++;
                if (Failures.isPoison(e) || failures >= retry.maxAttempts()) {
                    return deadLetter(record, e);
                }
                sleep(backoff(failures));
            }
        }
        return false;
    }

    private boolean deadLetter(ConsumerRecord<String, byte[]> record, Exception error) {
        int outages = 0;
        while (running) {
            try {
                deadLetters.send(record, error, projection.name());
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    ProjectionStore.saveOffsets(c, projection.name(), generation,
                            Map.of(new TopicPartition(record.topic(), record.partition()), record.offset() + 1));
                    c.commit();
                }
                deadLettered.incrementAndGet();
                markCommitted(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                log.error("projection {} g{}: {}-{}@{} sent to the dead-letter topic: {}", projection.name(),
                        generation, record.topic(), record.partition(), record.offset(), Failures.describe(error));
                return true;
            } catch (Exception e) {
                outage(e, outages++);
            }
        }
        return false;
    }

    private void applyInTransaction(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            next.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
        }
        ProjectionTx tx;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            tx = new ProjectionTx(c, schema, policy, producer);
            try {
                projection.apply(records, tx);
                // side effects travel while the offsets are written; both must succeed before the commit
                tx.sendSideEffects();
                ProjectionStore.saveOffsets(c, projection.name(), generation, next);
                tx.awaitSideEffects();
                c.commit();
            } catch (Exception | Error e) {
                rollbackQuietly(c);
                throw e;
            }
        }
        next.forEach(this::markCommitted);
        tx.runAfterCommit();
    }

    private void markCommitted(TopicPartition tp, long nextOffset) {
        partitions.compute(tp, (k, v) -> v == null ? new long[]{nextOffset, nextOffset}
                : new long[]{nextOffset, Math.max(v[1], nextOffset)});
    }

    private void refreshLag(KafkaConsumer<String, byte[]> c, boolean afterBatch) {
        long now = System.currentTimeMillis();
        if (now - lastLagCheck < (afterBatch ? 1000 : 500) || c.assignment().isEmpty()) {
            return;
        }
        lastLagCheck = now;
        try {
            // Everything polled so far has been applied, so the consumer's position is where this generation
            // stands; unlike the stored offset it also steps over transaction markers, which would otherwise
            // show as a lag that never drains.
            Map<TopicPartition, Long> ends = c.endOffsets(c.assignment(), Duration.ofSeconds(2));
            ends.forEach((tp, end) -> {
                long position = c.position(tp, Duration.ofSeconds(2));
                partitions.compute(tp, (k, v) -> v == null ? new long[]{position, end}
                        : new long[]{Math.max(v[0], position), end});
            });
            lastBrokerAnswer = System.currentTimeMillis();
            if (brokerOut) {
                brokerOut = false;
                log.info("projection {} g{}: Kafka answers again", projection.name(), generation);
            }
        } catch (RuntimeException e) {
            if (e instanceof WakeupException w) {
                throw w;
            }
            log.debug("lag of {} unknown for now: {}", projection.name(), e.toString());
            if (!brokerOut && System.currentTimeMillis() - lastBrokerAnswer > BROKER_SILENCE_MS) {
                brokerOut = true;
                lastError = "Kafka unreachable: " + Failures.describe(e);
                log.warn("projection {} g{}: Kafka has not answered for {} ms: {}", projection.name(), generation,
                        BROKER_SILENCE_MS, e.toString());
            }
        }
    }

    private void restoreState() {
        if (!"running".equals(state) && !"rebuilding".equals(state) && !"stopped".equals(state)) {
            state = policy instanceof ReplayPolicy.Rebuilding ? "rebuilding" : "running";
        }
    }

    private void outage(Exception e, int attempt) {
        state = "retrying"; // reported as "outage": the batch waits for the database or the broker, nothing failed
        lastError = Failures.describe(e);
        if (attempt % 10 == 0) {
            log.warn("projection {} g{}: infrastructure unavailable, retrying: {}", projection.name(), generation,
                    lastError);
        }
        sleep(backoff(attempt + 1));
    }

    private Duration backoff(int attempt) {
        return new io.laurel.runtime.kafka.Backoff(retry.backoff(), retry.maxBackoff()).after(attempt);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }

    /** Seeks every newly assigned partition to the offset stored for this generation (or to the start). */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> c;

        SeekToStoredOffsets(KafkaConsumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            revocations++;
            revoked.forEach(partitions::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            Map<TopicPartition, Long> stored;
            int attempt = 0;
            while (true) {
                try (Connection conn = dataSource.getConnection()) {
                    stored = ProjectionStore.offsets(conn, projection.name(), generation);
                    break;
                } catch (SQLException e) {
                    if (!running) {
                        throw new WakeupException();
                    }
                    outage(e, attempt++);
                }
            }
            List<TopicPartition> fromStart = new ArrayList<>();
            for (TopicPartition tp : assigned) {
                Long next = stored.get(tp);
                if (next == null) {
                    fromStart.add(tp);
                    partitions.put(tp, new long[]{0, 0});
                } else {
                    c.seek(tp, next);
                    partitions.put(tp, new long[]{next, next});
                }
            }
            if (!fromStart.isEmpty()) {
                c.seekToBeginning(fromStart);
            }
            lastLagCheck = 0;
        }
    }
}
