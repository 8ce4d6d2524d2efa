package io.laurel.events.topic;

import java.util.Map;

/**
 * The broker settings of the consumer group protocol (KIP-848) that every broker Laurel ships uses: the
 * standalone's embedded broker, the testkit's in-process broker and docker-compose's {@code kafka} (checked by
 * DockerComposeFileTest). A member that died without leaving gives its partitions up after 6 s instead of
 * 45 s; heartbeats every second carry new assignments sooner. See docs/decisions/0018-consumer-group-protocol.md.
 */
public final class ConsumerGroupBrokerSettings {
    public static final Map<String, String> SETTINGS = Map.of(
            "group.consumer.session.timeout.ms", "6000",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.heartbeat.interval.ms", "1000",
            "group.consumer.min.heartbeat.interval.ms", "1000");

    private ConsumerGroupBrokerSettings() {
    }
}
