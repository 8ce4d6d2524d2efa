package io.laurel.standalone;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import io.laurel.events.topic.ConsumerGroupBrokerSettings;
import io.laurel.runtime.config.GroupProtocolCheck;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.server.common.GroupVersion;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) running inside the standalone's JVM,
 * with its log under the data directory so topics survive restarts. Automatic topic creation is off.
 */
final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    static final String METADATA_VERSION = "metadata.version";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    static EmbeddedKafka start(Path dir, int port, int controllerPort) throws IOException {
        return start(dir, port, controllerPort, true);
    }

    /** {@code upgrade} false leaves an old log's features as they are (tests of what Laurel does then). */
    static EmbeddedKafka start(Path dir, int port, int controllerPort, boolean upgrade) throws IOException {
        Properties p = writeConfig(dir, port, controllerPort);
        if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
            format(dir, null);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, "localhost:" + port);
        try {
            if (upgrade) {
                kafka.upgradeFeatures();
            }
        } catch (IOException | RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /**
     * Brings a log formatted by an older Kafka (a laurel-data of Laurel 0.1 on Kafka 3.9) up to what this
     * broker's projection consumers need: the consumer group protocol (KIP-848) wants group.version 1, which
     * wants metadata.version 4.0 or later. Like {@code kafka-features upgrade}, this is one-way: an older
     * Kafka cannot open the log afterwards. A log formatted by this version needs nothing.
     */
    void upgradeFeatures() throws IOException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(60, TimeUnit.SECONDS);
            Map<String, FeatureUpdate> updates = new LinkedHashMap<>();
            short metadata = MetadataVersion.latestProduction().featureLevel();
            short group = GroupVersion.GV_1.featureLevel();
            if (GroupProtocolCheck.finalizedLevel(features, METADATA_VERSION) < metadata) {
                updates.put(METADATA_VERSION, new FeatureUpdate(metadata, FeatureUpdate.UpgradeType.UPGRADE));
            }
            if (GroupProtocolCheck.finalizedLevel(features, GroupProtocolCheck.GROUP_VERSION) < group) {
                updates.put(GroupProtocolCheck.GROUP_VERSION, new FeatureUpdate(group, FeatureUpdate.UpgradeType.UPGRADE));
            }
            if (updates.isEmpty()) {
                return;
            }
            log.info("upgrading the Kafka log's features from {} to {}", describe(features), updates);
            admin.updateFeatures(updates, new UpdateFeaturesOptions()).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while upgrading Kafka's features", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot upgrade the Kafka log's features (metadata.version, group.version): "
                    + e.getMessage(), e);
        }
    }

    private static String describe(FeatureMetadata features) {
        Map<String, Short> levels = new LinkedHashMap<>();
        features.finalizedFeatures().forEach((name, range) -> levels.put(name, range.maxVersionLevel()));
        return levels.toString();
    }

    /** Writes server.properties (at every start, so the settings follow the platform's version). */
    static Properties writeConfig(Path dir, int port, int controllerPort) throws IOException {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logs.toAbsolutePath().toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "6");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "6");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // consumer group protocol (KIP-848): a restarted standalone finds a dead member's partitions free by
        // the time its projections subscribe
        ConsumerGroupBrokerSettings.SETTINGS.forEach(p::setProperty);
        p.setProperty("log.cleaner.enable", "true");
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "written by the Laurel standalone at every start");
        }
        return p;
    }

    /**
     * Formats the log directory with the cluster id kept in the data directory; {@code releaseVersion} null
     * formats at this Kafka's latest production version (tests pass an older one to stand for old data).
     */
    static void format(Path dir, String releaseVersion) throws IOException {
        Path config = dir.resolve("server.properties");
        Path idFile = dir.resolve("cluster-id");
        String clusterId = Files.exists(idFile) ? Files.readString(idFile).trim() : Uuid.randomUuid().toString();
        Files.writeString(idFile, clusterId);
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c",
                config.toString(), "--ignore-formatted"));
        if (releaseVersion != null) {
            args.addAll(List.of("--release-version", releaseVersion));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = StorageTool.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("formatting Kafka storage failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
