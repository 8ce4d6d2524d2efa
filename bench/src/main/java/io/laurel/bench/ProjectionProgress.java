package io.laurel.bench;

import io.laurel.events.EventAccepted;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** How far a projection has come: a topic's end offsets, and whether the projection has stored them. */
final class ProjectionProgress {
    private ProjectionProgress() {
    }

    /** The end offset of each partition of {@code topic}. */
    static Map<Integer, Long> endOffsets(TestEnvironment env, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp.partition(),
                    info.offset()));
            return ends;
        }
    }

    /** Whether {@code projection}'s stored next offsets (any generation) reached {@code ends}. */
    static boolean committed(TestEnvironment env, String projection, String topic, Map<Integer, Long> ends)
            throws Exception {
        Map<Integer, Long> next = new HashMap<>();
        try (Connection c = env.openConnection(); PreparedStatement ps = c.prepareStatement("SELECT partition_no,"
                + " max(next_offset) FROM laurel_runtime.projection_offsets WHERE name = ? AND topic = ?"
                + " GROUP BY partition_no")) {
            ps.setString(1, projection);
            ps.setString(2, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    next.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        for (var e : ends.entrySet()) {
            if (e.getValue() > 0 && next.getOrDefault(e.getKey(), -1L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Nanoseconds from the first send until all was produced, and until the projection stored it (-1: not in
     * time), and the CPU used meanwhile.
     */
    record Timing(long producedNanos, long storedNanos, CpuMeter.Usage cpu) {
    }

    /**
     * Serialises {@code events} (untimed), produces them to {@code laurel.events} with a batching, idempotent
     * producer, then waits until {@code projection} has stored the topic's end offsets.
     */
    static Timing produceEventsAndAwait(TestEnvironment env, List<EventAccepted> events, String projection,
                                        Duration timeout) throws Exception {
        TopicRegistry topics = env.topics();
        String topic = topics.events().name();
        List<String> keys = new ArrayList<>(events.size());
        List<byte[]> values = new ArrayList<>(events.size());
        for (EventAccepted e : events) {
            keys.add(e.key());
            values.add(topics.events().valueSerde().serialize(topic, e));
        }
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i)));
            }
            producer.flush();
        }
        long produced = System.nanoTime() - start;
        Map<Integer, Long> ends = endOffsets(env, topic, topics.events().partitions());
        long deadline = System.nanoTime() + timeout.toNanos();
        long stored = -1;
        while (System.nanoTime() < deadline) {
            if (committed(env, projection, topic, ends)) {
                stored = System.nanoTime() - start;
                break;
            }
            Thread.sleep(20);
        }
        return new Timing(produced, stored, cpu.stop());
    }
}
