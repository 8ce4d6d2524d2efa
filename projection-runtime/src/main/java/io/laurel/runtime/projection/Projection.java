package io.laurel.runtime.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A read model folded from Kafka topics into PostgreSQL tables. The runtime delivers batches; the
 * projection writes its changes through the batch's connection, and the runtime commits them together
 * with the consumed offsets, so a batch counts exactly once or not at all.
 *
 * <p>A projection keeps its tables in the schema it is given: each generation has its own schema, so
 * a rebuild can fill a new generation while the live one keeps serving.
 */
public interface Projection {

    /** Unique across the platform; lower-case letters, digits and underscores. */
    String name();

    /**
     * The service that runs this projection ({@code ingest}, {@code scoring}, {@code badge},
     * {@code leaderboard}), as {@code GET /v1/ops/projections} names it; by default the package segment after
     * {@code io.laurel} ({@code io.laurel.scoring.points} -> {@code scoring}).
     */
    default String service() {
        String[] parts = getClass().getPackageName().split("\\.");
        return parts.length > 2 && parts[0].equals("io") && parts[1].equals("laurel") ? parts[2] : parts[parts.length - 1];
    }

    /** Topic names this projection folds. */
    List<String> topics();

    /**
     * Creates the projection's tables in {@code schema} (which exists already), with the keys and indexes the
     * fold itself reads through.
     */
    void createTables(Connection connection, String schema) throws SQLException;

    /**
     * Creates the indexes only readers need. A live generation has them from the start; a generation being
     * rebuilt has no readers, so it is filled without them and they are built once, in bulk, when it has
     * caught up (before it goes live or turns ready). Idempotent ({@code IF NOT EXISTS}).
     */
    default void createIndexes(Connection connection, String schema) throws SQLException {
    }

    /** Table names (without schema) that make up the read model; used for checksums. */
    List<String> tables();

    /**
     * Applies a batch. Throwing rolls back the whole batch; the runtime then retries record by record
     * and sends a record that keeps failing to the dead-letter topic.
     */
    void apply(List<ConsumerRecord<String, byte[]>> records, ProjectionTx tx) throws Exception;
}
