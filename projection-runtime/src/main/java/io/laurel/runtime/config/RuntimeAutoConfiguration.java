package io.laurel.runtime.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.events.topic.TopicSpec;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.ops.OpsController;
import io.laurel.runtime.projection.Projection;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.projection.ProjectionRunner;
import io.laurel.runtime.projection.ProjectionStore;
import io.laurel.runtime.web.ApiKeyAuthFilter;
import io.laurel.runtime.web.ProblemWebExceptionHandler;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.boot.jackson2.autoconfigure.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.json.Jackson2JsonDecoder;
import org.springframework.http.codec.json.Jackson2JsonEncoder;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.r2dbc.core.DatabaseClient;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What every Laurel service shares: PostgreSQL (JDBC for projection writes on consumer threads, R2DBC
 * for reactive reads), Kafka (idempotent producer with acks=all, topics created from the registry),
 * the local catalog, the projection manager, API-key authentication and problem+json errors.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.axonframework.springboot.autoconfig.JdbcAutoConfiguration",
        "org.axonframework.springboot.autoconfig.TransactionAutoConfiguration",
        "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration",
        "org.axonframework.springboot.autoconfig.ObjectMapperAutoConfiguration",
        // our cached database health replaces the per-call ones (dbHealthContributor, r2dbcHealthContributor)
        "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
        "org.springframework.boot.r2dbc.autoconfigure.health.ConnectionFactoryHealthContributorAutoConfiguration"})
@EnableConfigurationProperties(LaurelProperties.class)
@Import({OpsController.class, io.laurel.runtime.web.OpenApiConfiguration.class,
        io.laurel.runtime.web.VersionController.class, io.laurel.runtime.web.MeController.class})
@org.springframework.context.annotation.PropertySource("classpath:laurel-management.properties")
public class RuntimeAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(RuntimeAutoConfiguration.class);

    @Bean
    public Jackson2ObjectMapperBuilderCustomizer laurelJackson() {
        return b -> b.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * The one Jackson 2 ObjectMapper of a service, built as Boot builds it (its builder with every customizer,
     * {@link #laurelJackson()} among them): the WebFlux codecs write responses with it and Axon's serializer
     * stores aggregate events with it. Declared here, ahead of Boot's Jackson 2 and Axon's own mapper: Axon
     * 4.13 orders its plain fallback mapper after Boot 3's Jackson configuration only, so on Boot 4 it would
     * otherwise win and change both the API's JSON and the payloads in the event store (decision 0017).
     */
    @Bean
    @Primary
    public ObjectMapper jacksonObjectMapper(Jackson2ObjectMapperBuilder builder) {
        return builder.createXmlMapper(false).build();
    }

    /**
     * WebFlux reads and writes JSON with {@link #jacksonObjectMapper}. Jackson 3 is on the class path too
     * (springdoc brings Boot's Jackson 3 module), and Boot then hands the codecs a Jackson 3 mapper, which
     * knows neither Laurel's naming nor Jackson 2's JsonNode; this customizer runs after Boot's and puts
     * the Jackson 2 codecs back (decision 0017).
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    public CodecCustomizer laurelJsonCodecs(ObjectMapper jacksonObjectMapper) {
        return configurer -> {
            configurer.defaultCodecs().jacksonJsonDecoder(new Jackson2JsonDecoder(jacksonObjectMapper));
            configurer.defaultCodecs().jacksonJsonEncoder(new Jackson2JsonEncoder(jacksonObjectMapper));
        };
    }

    @Bean
    public TopicRegistry topicRegistry(LaurelProperties props) {
        return new TopicRegistry(props.getKafka().getTopicPrefix(), props.getKafka().getPartitions());
    }

    /** Topics are created by the platform with explicit partition counts; auto-creation stays off. */
    @Bean
    public TopicsReady topicsReady(LaurelProperties props, TopicRegistry topics) {
        String bootstrap = props.getKafka().getBootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            String problem = GroupProtocolCheck.problem(admin, bootstrap, props.getKafka().groupProtocolConfig());
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
            if (props.getKafka().isCreateTopics()) {
                createTopics(admin, props, topics);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new TopicsReady();
    }

    /** Marker: the registry's topics exist. */
    public static final class TopicsReady {
    }

    static void createTopics(Admin admin, LaurelProperties props, TopicRegistry topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.all().stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> newTopic(t, props.getKafka().getReplicationFactor())).toList();
            if (!missing.isEmpty()) {
                // each topic on its own: another service starting at the same moment may have created some of them
                // (TopicExistsException), which must not hide another topic's real failure
                for (var created : admin.createTopics(missing).values().entrySet()) {
                    try {
                        created.getValue().get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + created.getKey(), e.getCause());
                        }
                    }
                }
                log.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            awaitLeaders(admin, topics.all().stream().map(TopicSpec::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create Laurel's topics on " + props.getKafka().getBootstrapServers(), e);
        }
    }

    /**
     * Waits until the leader of every partition serves it. An idempotent producer that sends before that can
     * have its first batch refused (NOT_LEADER_OR_FOLLOWER) while later batches are stored, and then retry
     * the first one with an out-of-order sequence until it times out.
     */
    static void awaitLeaders(Admin admin, List<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            boolean ready = false;
            try {
                // describeTopics answers from the metadata cache, which can name a leader before the broker's
                // replica manager serves the partition; listing offsets is served by the leader itself
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request =
                        new java.util.HashMap<>();
                admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS).values().forEach(d ->
                        d.partitions().forEach(p -> request.put(new org.apache.kafka.common.TopicPartition(d.name(),
                                p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest())));
                admin.listOffsets(request).all().get(60, TimeUnit.SECONDS);
                ready = true;
            } catch (java.util.concurrent.ExecutionException e) {
                // a partition not served yet (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, ...): ask again
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Laurel's topics have partitions not served by a leader after 60 s");
            }
            Thread.sleep(50);
        }
    }

    private static NewTopic newTopic(TopicSpec<?> spec, short replication) {
        return new NewTopic(spec.name(), spec.partitions(), replication).configs(spec.configs());
    }

    @Bean
    public io.laurel.runtime.users.DisplayNames displayNames(DataSource dataSource) {
        return new io.laurel.runtime.users.DisplayNames(dataSource);
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(LaurelProperties props) {
        LaurelProperties.Postgres pg = props.getPostgres();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.jdbcUrl());
        config.setUsername(pg.getUsername());
        config.setPassword(pg.getPassword());
        config.setMaximumPoolSize(pg.getPoolSize());
        // connections open as needed: N instances of four services would otherwise hold N x 4 x pool-size at rest
        config.setMinimumIdle(Math.min(4, pg.getPoolSize()));
        config.setPoolName("laurel-jdbc");
        config.setInitializationFailTimeout(30_000);
        // a request waits at most this long for a connection while the database is away, then answers 503
        config.setConnectionTimeout(pg.getConnectTimeout().toMillis());
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    @Bean(destroyMethod = "dispose")
    public ConnectionPool r2dbcConnectionFactory(LaurelProperties props) {
        LaurelProperties.Postgres pg = props.getPostgres();
        ConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host(pg.getHost()).port(pg.getPort()).database(pg.getDatabase())
                .username(pg.getUsername()).password(pg.getPassword()).connectTimeout(pg.getConnectTimeout()).build());
        // while the database is away a request waits at most connect-timeout for a connection, then answers 503
        return new ConnectionPool(ConnectionPoolConfiguration.builder(factory)
                .maxSize(pg.getPoolSize()).maxIdleTime(Duration.ofMinutes(5)).maxAcquireTime(pg.getConnectTimeout())
                .maxCreateConnectionTime(pg.getConnectTimeout()).name("laurel-r2dbc").build());
    }

    @Bean
    public DatabaseClient databaseClient(ConnectionPool r2dbcConnectionFactory) {
        return DatabaseClient.create(r2dbcConnectionFactory);
    }

    @Bean(destroyMethod = "close")
    public Producer<String, byte[]> laurelProducer(LaurelProperties props, TopicsReady ready) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        // send() must not hold a request thread for long when Kafka is gone and the buffer is full
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public CatalogView catalogView(LaurelProperties props, TopicRegistry topics, TopicsReady ready) {
        return new CatalogView(props.getKafka().getBootstrapServers(), topics.catalog());
    }

    /**
     * {@code ?wait=badges} answered from PostgreSQL, whichever process folds the event (the badge service's own
     * in-process outcomes, where it runs, are {@code @Primary} and use this for events folded elsewhere).
     */
    @Bean(destroyMethod = "close")
    public io.laurel.runtime.outcome.PolledBadgeOutcomes polledBadgeOutcomes(DataSource dataSource, ProjectionStore store,
                                                                           CatalogView catalogView) {
        return new io.laurel.runtime.outcome.PolledBadgeOutcomes(dataSource, store, catalogView);
    }

    /** Every instance's catalog position in PostgreSQL: catalog writes wait for all of them before answering. */
    @Bean(initMethod = "start", destroyMethod = "close")
    public io.laurel.runtime.catalog.CatalogReaders catalogReaders(DataSource dataSource, CatalogView catalogView) {
        return new io.laurel.runtime.catalog.CatalogReaders(dataSource, catalogView);
    }

    /** The one appender of Laurel's own events (score events, grants, redemptions, challenge completions). */
    @Bean
    public io.laurel.runtime.events.SystemEvents systemEvents(Producer<String, byte[]> laurelProducer, TopicRegistry topics,
                                                            CatalogView catalogView) {
        return new io.laurel.runtime.events.SystemEvents(laurelProducer, topics, catalogView);
    }

    /** The projections of this instance as Prometheus metrics ({@code laurel_projection_*}, {@code laurel_rebuild_*}). */
    @Bean
    public io.laurel.runtime.metrics.ProjectionMetrics projectionMetrics(ProjectionManager projectionManager) {
        return new io.laurel.runtime.metrics.ProjectionMetrics(projectionManager);
    }

    @Bean
    public ProjectionStore projectionStore(DataSource dataSource) {
        return new ProjectionStore(dataSource);
    }

    @Bean(destroyMethod = "close")
    public ProjectionManager projectionManager(ObjectProvider<Projection> projections, ProjectionStore store,
                                               Producer<String, byte[]> laurelProducer, LaurelProperties props,
                                               TopicsReady ready, org.springframework.core.env.Environment environment)
            throws SQLException {
        Map<String, Object> consumer = new HashMap<>();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.getKafka().getBootstrapServers());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        consumer.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, props.getKafka().groupProtocolConfig());
        ProjectionManager manager = new ProjectionManager(projections.orderedStream().toList(), store, laurelProducer,
                consumer, props.getKafka().getTopicPrefix(), ProjectionRunner.Retry.DEFAULT,
                instanceId(props.getInstanceId(), environment.getProperty("server.port")));
        manager.start();
        return manager;
    }

    /**
     * The configured instance id, else {@code <host>-<port>} (no two instances on one host share a port), else null
     * when the port is random (0) and so says nothing stable.
     */
    static String instanceId(String configured, String serverPort) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String port = serverPort == null || serverPort.isBlank() ? "8080" : serverPort.trim();
        if (port.equals("0")) {
            return null;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + "-" + port;
    }

    /**
     * What encrypts secrets at rest: {@code laurel.secrets-key} ({@code LAUREL_SECRETS_KEY}), else the key in
     * {@code <data-dir>/secrets-key}, generated there (owner-only) on the first start.
     */
    @Bean
    public io.laurel.runtime.secrets.SecretBox secretBox(LaurelProperties props) throws java.io.IOException {
        String key = props.getSecretsKey();
        if (key == null || key.isBlank()) {
            java.nio.file.Path file = props.getDataDir().resolve("secrets-key");
            key = io.laurel.runtime.secrets.SecretKeyFile.readOrCreate(file);
        }
        return new io.laurel.runtime.secrets.SecretBox(key, props.getSecretsPreviousKeys());
    }

    /**
     * Health answered from states checked in the background (the database, the broker), not by a round trip per
     * call: {@code GET /actuator/health} stays cheap under load, and says DOWN within seconds of an outage.
     */
    @Bean(destroyMethod = "close")
    public io.laurel.runtime.health.CachedHealth cachedHealth(DataSource dataSource, LaurelProperties props) {
        return new io.laurel.runtime.health.CachedHealth(dataSource, props.getKafka().getBootstrapServers());
    }

    /** Named as Boot's per-call database indicator, which it therefore does not create. */
    @Bean
    public org.springframework.boot.health.contributor.ReactiveHealthIndicator dbHealthContributor(
            io.laurel.runtime.health.CachedHealth health) {
        return health.databaseIndicator();
    }

    /** Boot's R2DBC indicator would open a connection per call too: the cached database state stands for both. */
    @Bean
    public org.springframework.boot.health.contributor.ReactiveHealthIndicator r2dbcHealthContributor(
            io.laurel.runtime.health.CachedHealth health) {
        return health.databaseIndicator();
    }

    @Bean
    public org.springframework.boot.health.contributor.ReactiveHealthIndicator kafkaHealthIndicator(
            io.laurel.runtime.health.CachedHealth health) {
        return health.kafkaIndicator();
    }

    @Bean
    public ApiKeyAuthFilter apiKeyAuthFilter(CatalogView catalog,
                                             ObjectProvider<io.laurel.runtime.web.RequestGate> gates) {
        return new ApiKeyAuthFilter(catalog, gates.orderedStream().toList());
    }

    @Bean
    public ProblemWebExceptionHandler problemWebExceptionHandler() {
        return new ProblemWebExceptionHandler();
    }
}
