package io.laurel.runtime.config;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Laurel's configuration ({@code laurel.*}, or environment variables such as
 * {@code LAUREL_KAFKA_BOOTSTRAP_SERVERS}). Every value has a default that works on one machine.
 */
@ConfigurationProperties(prefix = "laurel")
public class LaurelProperties {
    private final Kafka kafka = new Kafka();
    private final Postgres postgres = new Postgres();
    private final Ingest ingest = new Ingest();
    /** Where the standalone keeps Kafka's and PostgreSQL's data, and the generated bootstrap key. */
    private Path dataDir = Path.of("laurel-data");
    /** The bootstrap API key of tenant {@code default}; generated on first start when unset. */
    private String adminKey;
    /**
     * What tells this instance apart from the other instances of its service, the same across its restarts: its
     * consumers are static group members named after it, so a restart after a crash takes its partitions back at
     * once. Blank: the host name and {@code server.port}; with a random port (0), dynamic members.
     */
    private String instanceId;
    /**
     * The key (32 bytes, base64) that encrypts secrets at rest, such as webhook signing secrets; every instance
     * of every service must have the same. Blank: read from {@code <data-dir>/secrets-key}, created there once.
     */
    private String secretsKey;
    /** Keys of before a rotation (base64, comma-separated): they only decrypt, and what they sealed is resealed. */
    private java.util.List<String> secretsPreviousKeys = new java.util.ArrayList<>();

    public Kafka getKafka() {
        return kafka;
    }

    public Postgres getPostgres() {
        return postgres;
    }

    private final Redemptions redemptions = new Redemptions();
    private final Webhooks webhooks = new Webhooks();
    /**
     * The platform's public origin ({@code LAUREL_PUBLIC_URL}, such as {@code https://laurel.example.com}) for the
     * absolute links it hands out (certificates, Open Badges); blank: taken from each request (Host,
     * X-Forwarded-Proto and X-Forwarded-Host).
     */
    private String publicUrl;

    public String getPublicUrl() {
        return publicUrl;
    }

    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl;
        io.laurel.runtime.web.PublicUrls.configure(publicUrl);
    }

    public Webhooks getWebhooks() {
        return webhooks;
    }

    /** Outbound webhooks. */
    public static class Webhooks {
        /**
         * Host names, addresses or CIDR ranges that webhooks may reach although they are not public (loopback,
         * private, link-local...): on-premise receivers ({@code LAUREL_WEBHOOKS_ALLOWED_TARGETS}, comma-separated).
         */
        private java.util.List<String> allowedTargets = new java.util.ArrayList<>();

        public java.util.List<String> getAllowedTargets() {
            return allowedTargets;
        }

        public void setAllowedTargets(java.util.List<String> allowedTargets) {
            this.allowedTargets = allowedTargets;
        }
    }

    public Redemptions getRedemptions() {
        return redemptions;
    }

    /** Redemptions: how long a two-step redemption may hold points before they are released. */
    public static class Redemptions {
        /** A hold not confirmed within this time is released ({@code LAUREL_REDEMPTIONS_HOLD_TIMEOUT}). */
        private Duration holdTimeout = Duration.ofMinutes(15);

        public Duration getHoldTimeout() {
            return holdTimeout;
        }

        public void setHoldTimeout(Duration holdTimeout) {
            this.holdTimeout = holdTimeout;
        }
    }

    public Ingest getIngest() {
        return ingest;
    }

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public String getSecretsKey() {
        return secretsKey;
    }

    public void setSecretsKey(String secretsKey) {
        this.secretsKey = secretsKey;
    }

    public java.util.List<String> getSecretsPreviousKeys() {
        return secretsPreviousKeys;
    }

    public void setSecretsPreviousKeys(java.util.List<String> secretsPreviousKeys) {
        this.secretsPreviousKeys = secretsPreviousKeys;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getAdminKey() {
        return adminKey;
    }

    public void setAdminKey(String adminKey) {
        this.adminKey = adminKey;
    }

    public static class Kafka {
        private String bootstrapServers = "localhost:9092";
        private String topicPrefix = "laurel";
        private int partitions = 6;
        private short replicationFactor = 1;
        /** Create the registry's topics at start-up (automatic topic creation stays off). */
        private boolean createTopics = true;
        /**
         * The consumer group protocol of the projection and inbound consumers: {@code consumer} (KIP-848, the
         * broker assigns partitions; needs Kafka 4.0+ with the group.version feature at 1) or {@code classic}
         * (for older brokers). See docs/decisions/0018-consumer-group-protocol.md.
         */
        private GroupProtocol groupProtocol = GroupProtocol.CONSUMER;

        public GroupProtocol getGroupProtocol() {
            return groupProtocol;
        }

        public void setGroupProtocol(GroupProtocol groupProtocol) {
            this.groupProtocol = groupProtocol;
        }

        /** The value of the consumer's {@code group.protocol} setting. */
        public String groupProtocolConfig() {
            return groupProtocol.name().toLowerCase(java.util.Locale.ROOT);
        }

        public String getBootstrapServers() {
            return bootstrapServers;
        }

        public void setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public String getTopicPrefix() {
            return topicPrefix;
        }

        public void setTopicPrefix(String topicPrefix) {
            this.topicPrefix = topicPrefix;
        }

        public int getPartitions() {
            return partitions;
        }

        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        public short getReplicationFactor() {
            return replicationFactor;
        }

        public void setReplicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
        }

        public boolean isCreateTopics() {
            return createTopics;
        }

        public void setCreateTopics(boolean createTopics) {
            this.createTopics = createTopics;
        }
    }

    public static class Postgres {
        private String host = "localhost";
        private int port = 5432;
        private String database = "laurel";
        private String username = "laurel";
        private String password = "laurel";
        private int poolSize = 20;
        /**
         * How long a request waits for a database connection (and a new connection to be made) before it answers
         * 503 {@code DATABASE_UNAVAILABLE} with {@code Retry-After}.
         */
        private java.time.Duration connectTimeout = java.time.Duration.ofSeconds(5);

        public java.time.Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(java.time.Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getDatabase() {
            return database;
        }

        public void setDatabase(String database) {
            this.database = database;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }
    }

    public static class Ingest {
        /** Largest body of {@code POST /v1/events} and of webhook-style calls. */
        private long maxEventBytes = 1024 * 1024;
        /** Largest body of {@code POST /v1/events:batch}. */
        private long maxBatchBytes = 16 * 1024 * 1024;
        /** How far in the future {@code occurred_at} may lie (clock skew allowance). */
        private Duration maxFutureSkew = Duration.ofMinutes(5);
        /** How long an event may wait for Kafka's acknowledgement before the answer is 503 with Retry-After. */
        private Duration appendTimeout = Duration.ofSeconds(5);

        public Duration getAppendTimeout() {
            return appendTimeout;
        }

        public void setAppendTimeout(Duration appendTimeout) {
            this.appendTimeout = appendTimeout;
        }

        public long getMaxEventBytes() {
            return maxEventBytes;
        }

        public void setMaxEventBytes(long maxEventBytes) {
            this.maxEventBytes = maxEventBytes;
        }

        public long getMaxBatchBytes() {
            return maxBatchBytes;
        }

        public void setMaxBatchBytes(long maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
        }

        public Duration getMaxFutureSkew() {
            return maxFutureSkew;
        }

        public void setMaxFutureSkew(Duration maxFutureSkew) {
            this.maxFutureSkew = maxFutureSkew;
        }
    }
}
