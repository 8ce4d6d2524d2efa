package io.laurel.runtime.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record of a projection's topic as the runtime hands it over: its value decoded with the topic's serde, and the
 * record it came from (topic, partition, offset, key; the side effects a projection emits name it as their source).
 */
public record Delivered<V>(ConsumerRecord<String, byte[]> source, V value) {
    public String topic() {
        return source.topic();
    }

    public String key() {
        return source.key();
    }
}
