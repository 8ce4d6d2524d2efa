package io.laurel.runtime.projection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.TestEnvironment;
import io.laurel.runtime.config.LaurelProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Plumbing shared by the projection-runtime tests: real producer, consumer and data source. */
final class ProjectionFixture {
    private ProjectionFixture() {
    }

    static HikariDataSource dataSource(String jdbcUrl, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbcUrl);
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(4);
        return new HikariDataSource(c);
    }

    static HikariDataSource dataSource(TestEnvironment env) {
        return dataSource(env.jdbcUrl(), env.username(), env.password());
    }

    static Producer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> consumerBase(String bootstrap, int maxPollRecords) {
        Map<String, Object> m = new HashMap<>();
        m.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        m.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // as the services run them (laurel.kafka.group-protocol's default): KIP-848, the broker assigns
        m.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, new LaurelProperties().getKafka().groupProtocolConfig());
        return m;
    }

    static void send(Producer<String, byte[]> producer, String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8))).get();
    }

    /** Sends {@code count} records for users u0..u{users-1}, round robin; returns the expected counts. */
    static Map<String, Long> sendMany(Producer<String, byte[]> producer, String topic, int count, int users,
                                      int offsetInSequence) throws Exception {
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String user = "u" + ((i + offsetInSequence) % users);
            producer.send(new ProducerRecord<>(topic, user,
                    ("{\"user\":\"" + user + "\",\"i\":" + (i + offsetInSequence) + "}").getBytes(StandardCharsets.UTF_8)));
            expected.merge(user, 1L, Long::sum);
        }
        producer.flush();
        return expected;
    }

    static Map<String, Long> counts(java.sql.Connection c, String schema) throws SQLException {
        Map<String, Long> m = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT user_id, n FROM " + schema + ".counts")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    static Map<String, Long> counts(javax.sql.DataSource ds, String schema) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return counts(c, schema);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return Map.of();
            }
            throw e;
        }
    }

    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Reads every record of {@code topic} now present (all partitions, from the start). */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
