package io.laurel.standalone;

import io.laurel.runtime.config.GroupProtocolCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.GroupVersion;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone's broker on a log formatted by an older Kafka (as a laurel-data of the Kafka 3.9 days is):
 * it upgrades metadata.version and group.version, keeps the records, and projection consumers then join
 * with the consumer group protocol (KIP-848).
 */
class EmbeddedKafkaIT {

    @TempDir
    Path dir;

    @Test
    void aLogOfKafka39IsUpgradedKeepsItsRecordsAndServesTheConsumerGroupProtocol() throws Exception {
        int port = PlatformClient.freePort();
        int controllerPort = PlatformClient.freePort();
        formatAsKafka39(port, controllerPort);

        // first start: the old metadata version is raised, the group protocol is switched on
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, controllerPort);
             Admin admin = admin(kafka)) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);
            assertThat(GroupProtocolCheck.finalizedLevel(features, EmbeddedKafka.METADATA_VERSION))
                    .isEqualTo(MetadataVersion.latestProduction().featureLevel());
            assertThat(GroupProtocolCheck.finalizedLevel(features, GroupProtocolCheck.GROUP_VERSION))
                    .isEqualTo(GroupVersion.GV_1.featureLevel());
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }

        // second start: nothing left to upgrade; the records are there and a KIP-848 member gets every partition
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, controllerPort);
             Admin admin = admin(kafka);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "upgraded",
                     ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                     new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("kept"));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < 10 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            assertThat(values).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
            assertThat(consumer.assignment()).hasSize(2);
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("upgraded")).all()
                    .get(30, TimeUnit.SECONDS).get("upgraded");
            assertThat(group.type()).isEqualTo(GroupType.CONSUMER);
        }
    }

    @Test
    void onABrokerWithoutTheGroupProtocolLaurelStopsWithWhatToDo() throws Exception {
        int port = PlatformClient.freePort();
        int controllerPort = PlatformClient.freePort();
        formatAsKafka39(port, controllerPort);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, controllerPort, false);
             Admin admin = admin(kafka)) {
            String problem = GroupProtocolCheck.problem(admin, kafka.bootstrapServers(), "consumer");
            assertThat(problem).contains("does not serve the consumer group protocol")
                    .contains("group.version feature is not set")
                    .contains("kafka-features.sh --bootstrap-server " + kafka.bootstrapServers() + " upgrade")
                    .contains("LAUREL_KAFKA_GROUP_PROTOCOL=classic");
            assertThat(GroupProtocolCheck.problem(admin, kafka.bootstrapServers(), "classic")).isNull();

            kafka.upgradeFeatures();
            assertThat(GroupProtocolCheck.problem(admin, kafka.bootstrapServers(), "consumer")).isNull();
        }
    }

    @Test
    void aFreshLogNeedsNoUpgrade() throws Exception {
        int port = PlatformClient.freePort();
        int controllerPort = PlatformClient.freePort();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, controllerPort);
             Admin admin = admin(kafka)) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);
            assertThat(GroupProtocolCheck.finalizedLevel(features, GroupProtocolCheck.GROUP_VERSION))
                    .isGreaterThanOrEqualTo(GroupVersion.GV_1.featureLevel());
            assertThat(GroupProtocolCheck.finalizedLevel(features, EmbeddedKafka.METADATA_VERSION))
                    .isGreaterThanOrEqualTo(MetadataVersion.IBP_4_0_IV0.featureLevel());
        }
    }

    /** A log as a laurel-data of the Kafka 3.9 days has it: metadata.version 3.9, no group.version. */
    private void formatAsKafka39(int port, int controllerPort) throws IOException {
        EmbeddedKafka.writeConfig(dir, port, controllerPort);
        EmbeddedKafka.format(dir, "3.9-IV0");
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
