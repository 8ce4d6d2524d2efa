package io.laurel.runtime.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A test projection: counts records per user (an increment, so a record applied twice shows), and for
 * each record emits one side-effect record to {@code sideEffectTopic}. A record {@code {"fail": true}}
 * always throws; a record that is not JSON is poison.
 */
final class CountingProjection implements Projection {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final String topic;
    private final String sideEffectTopic;
    private final long sleepPerRecordMillis;
    private final boolean traceBatches;

    CountingProjection(String name, String topic, String sideEffectTopic, long sleepPerRecordMillis,
                       boolean traceBatches) {
        this.name = name;
        this.topic = topic;
        this.sideEffectTopic = sideEffectTopic;
        this.sleepPerRecordMillis = sleepPerRecordMillis;
        this.traceBatches = traceBatches;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> topics() {
        return List.of(topic);
    }

    @Override
    public void createTables(Connection connection, String schema) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".counts (user_id text PRIMARY KEY, n bigint NOT NULL)");
        }
    }

    /** A readers' index: a rebuilt generation gets it once it has caught up. */
    @Override
    public void createIndexes(Connection connection, String schema) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE INDEX IF NOT EXISTS counts_by_n ON " + schema + ".counts (n DESC, user_id)");
        }
    }

    @Override
    public List<String> tables() {
        return List.of("counts");
    }

    @Override
    public void apply(List<ConsumerRecord<String, byte[]>> records, ProjectionTx tx) throws Exception {
        if (traceBatches) {
            System.out.println("BEGIN " + records.size());
            System.out.flush();
        }
        try (PreparedStatement ps = tx.connection().prepareStatement("INSERT INTO " + tx.schema()
                + ".counts(user_id, n) VALUES (?, 1) ON CONFLICT (user_id) DO UPDATE SET n = counts.n + 1")) {
            for (ConsumerRecord<String, byte[]> r : records) {
                JsonNode value;
                try {
                    value = JSON.readTree(r.value());
                } catch (IOException e) {
                    throw new PoisonRecordException("not JSON", e);
                }
                if (value == null || !value.isObject()) {
                    throw new PoisonRecordException("not a JSON object");
                }
                if (value.path("fail").asBoolean()) {
                    throw new IllegalStateException("this record always fails");
                }
                ps.setString(1, value.path("user").asText());
                ps.executeUpdate();
                tx.emit(r, new ProducerRecord<>(sideEffectTopic, r.key(),
                        ("effect-of-" + r.offset()).getBytes(StandardCharsets.UTF_8)));
                if (sleepPerRecordMillis > 0) {
                    Thread.sleep(sleepPerRecordMillis);
                }
            }
        }
        if (traceBatches) {
            System.out.println("END");
            System.out.flush();
        }
    }
}
