package io.laurel.runtime.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One batch's transaction: the JDBC connection (auto-commit off) and the schema of the generation being
 * written, plus the side-effect channel. Side effects (records for downstream topics) are suppressed
 * for records that are being replayed; the others are held until the projection has applied the whole
 * batch, then sent and acknowledged by Kafka before the batch commits. A crash between the two repeats
 * them with the same ids, and downstream folds recognise the repeat.
 */
public final class ProjectionTx {
    private final Connection connection;
    private final String schema;
    private final ReplayPolicy replay;
    private final Producer<String, byte[]> producer;
    private final List<ProducerRecord<String, byte[]>> pending = new ArrayList<>();

    ProjectionTx(Connection connection, String schema, ReplayPolicy replay, Producer<String, byte[]> producer) {
        this.connection = connection;
        this.schema = schema;
        this.replay = replay;
        this.producer = producer;
    }

    public Connection connection() {
        return connection;
    }

    /** The schema of the generation being written, quoted-safe (lower-case letters, digits, underscores). */
    public String schema() {
        return schema;
    }

    /**
     * True while this generation is being rebuilt: nobody reads it, so the projection may write in bulk (its
     * readers' indexes, {@link Projection#createIndexes}, do not exist yet). Once it has caught up, and live,
     * it is false.
     */
    public boolean isRebuilding() {
        return replay instanceof ReplayPolicy.Rebuilding;
    }

    /** True when the record is being replayed (a rebuild): no side effect may fire for it. */
    public boolean isReplay(ConsumerRecord<?, ?> source) {
        return replay.isReplay(source.partition(), source.topic(), source.offset());
    }

    private final List<Runnable> afterCommit = new ArrayList<>();

    /**
     * Runs {@code action} in this process once the batch has committed, unless {@code source} is being
     * replayed: for in-process notifications (live updates to connected clients), which must neither fire
     * during a rebuild nor for a batch that rolled back.
     */
    public void afterCommit(ConsumerRecord<?, ?> source, Runnable action) {
        if (!isReplay(source)) {
            afterCommit.add(action);
        }
    }

    /**
     * Runs {@code action} in this process once the batch has committed, replayed or not: for in-memory
     * copies of the read model kept beside its tables (they must follow every commit of their generation).
     */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void runAfterCommit() {
        for (Runnable r : afterCommit) {
            try {
                r.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ProjectionTx.class).warn("after-commit action failed: {}", e.toString());
            }
        }
    }

    /** Sends {@code record} unless {@code source} is being replayed. */
    public void emit(ConsumerRecord<?, ?> source, ProducerRecord<String, byte[]> record) {
        if (!isReplay(source)) {
            pending.add(record);
        }
    }

    /**
     * Sends the record {@code record} makes unless {@code source} is being replayed; a replayed source does not
     * even have it made (serialised).
     */
    public void emit(ConsumerRecord<?, ?> source, java.util.function.Supplier<ProducerRecord<String, byte[]>> record) {
        if (!isReplay(source)) {
            pending.add(record.get());
        }
    }

    /**
     * Sends {@code record} whether or not its source is being replayed: for a fact the fold must append to a topic
     * exactly when no generation has appended it yet (a rebuild may find one the live run never did). The
     * projection guarantees "once" itself, by recording what it appended in this transaction.
     */
    public void append(ProducerRecord<String, byte[]> record) {
        pending.add(record);
    }

    int emitted() {
        return pending.size();
    }

    private List<Future<RecordMetadata>> sent = List.of();

    /** Sends the held side effects (the batch is applied, not yet committed); {@link #awaitSideEffects} waits for them. */
    void sendSideEffects() {
        if (pending.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> futures = new ArrayList<>(pending.size());
        for (ProducerRecord<String, byte[]> r : pending) {
            futures.add(producer.send(r));
        }
        sent = futures;
    }

    void awaitSideEffects() throws InterruptedException, ExecutionException, TimeoutException {
        if (!pending.isEmpty() && sent.isEmpty()) {
            sendSideEffects();
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
    }
}
