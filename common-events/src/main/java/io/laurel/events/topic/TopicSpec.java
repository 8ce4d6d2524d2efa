package io.laurel.events.topic;

import io.laurel.events.json.JsonSerde;

import java.time.Duration;
import java.util.Map;

/**
 * One topic of the platform: its name (with the installation's prefix), what its key is, the serde of
 * its values, and how it is created (partitions, retention, compaction).
 *
 * @param retention null means forever
 */
public record TopicSpec<V>(
        String name,
        String keyDescription,
        JsonSerde<V> valueSerde,
        int partitions,
        Duration retention,
        boolean compacted) {

    /** The topic's dead-letter topic: same key, 30 days. */
    public TopicSpec<byte[]> deadLetter() {
        return new TopicSpec<>(name + ".dlt", keyDescription, null, partitions, Duration.ofDays(30), false);
    }

    /** Topic-level configuration to create it with. */
    public Map<String, String> configs() {
        if (compacted) {
            return Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0");
        }
        return Map.of("cleanup.policy", "delete",
                "retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
    }
}
