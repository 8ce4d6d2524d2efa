package io.laurel.testkit;

import io.laurel.events.topic.ConsumerGroupBrokerSettings;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.events.topic.TopicSpec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real infrastructure for tests, without Docker. The broker (in-process KRaft) and the PostgreSQL
 * server (embedded, or the one named by {@code LAUREL_TEST_POSTGRES_URL}) start once per test JVM;
 * each test class gets its own database and its own topic prefix, with the topics of the registry
 * created up front.
 */
public final class LaurelTestInfra {
    /** Environment variable naming an external PostgreSQL: {@code postgresql://user:pass@host:port/db}. */
    public static final String POSTGRES_URL_ENV = "LAUREL_TEST_POSTGRES_URL";
    public static final int TEST_PARTITIONS = 3;

    private static final Map<String, TestEnvironment> BY_NAME = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Shared shared;

    private LaurelTestInfra() {
    }

    private record Shared(String bootstrapServers, String host, int port, String user, String password,
                          String adminDatabase) {
    }

    /** The environment of one test class: created on first use, the same object afterwards. */
    public static TestEnvironment forClass(Class<?> testClass) {
        return named(testClass.getName());
    }

    /** A fresh environment with its own database and topics, whatever the name was used for before. */
    public static TestEnvironment fresh(String name) {
        return create(name + "-" + COUNTER.incrementAndGet());
    }

    public static TestEnvironment named(String name) {
        return BY_NAME.computeIfAbsent(name, LaurelTestInfra::create);
    }

    private static TestEnvironment create(String name) {
        Shared s = shared();
        String id = "t" + COUNTER.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String database = "laurel_" + id;
        try (Connection c = connect(s, s.adminDatabase()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database + " for " + name, e);
        }
        TopicRegistry topics = new TopicRegistry("laurel_" + id, TEST_PARTITIONS);
        createTopics(s.bootstrapServers(), topics);
        return new TestEnvironment(s.bootstrapServers(), s.host(), s.port(), database, s.user(), s.password(), topics);
    }

    /** Creates every topic of the registry (idempotent: existing topics are left as they are). */
    public static void createTopics(String bootstrapServers, TopicRegistry topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> newTopics = topics.all().stream()
                    .map(LaurelTestInfra::newTopic)
                    .toList();
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            admin.createTopics(newTopics.stream().filter(t -> !existing.contains(t.name())).toList())
                    .all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, newTopics.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics with prefix " + topics.prefix(), e);
        }
    }

    /**
     * Waits until the leader of every partition serves it. An idempotent producer that sends before that can
     * have its first batch refused (NOT_LEADER_OR_FOLLOWER) while later batches are stored, and then retry
     * the first one with an out-of-order sequence until it times out.
     */
    static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean ready = false;
            try {
                // describeTopics answers from the metadata cache, which can name a leader before the broker's
                // replica manager serves the partition; listing offsets is served by the leader itself
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request =
                        new java.util.HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(d ->
                        d.partitions().forEach(p -> request.put(new org.apache.kafka.common.TopicPartition(d.name(),
                                p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest())));
                admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
                ready = true;
            } catch (java.util.concurrent.ExecutionException e) {
                // a partition not served yet (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, ...): ask again
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions of " + topics + " are not served by a leader after 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static NewTopic newTopic(TopicSpec<?> spec) {
        return new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs());
    }

    private static Connection connect(Shared s, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", s.user());
        props.setProperty("password", s.password());
        return DriverManager.getConnection("jdbc:postgresql://" + s.host() + ":" + s.port() + "/" + database, props);
    }

    private static Shared shared() {
        Shared s = shared;
        if (s == null) {
            synchronized (LaurelTestInfra.class) {
                s = shared;
                if (s == null) {
                    s = start();
                    shared = s;
                }
            }
        }
        return s;
    }

    private static Shared start() {
        String bootstrap = startKafka();
        String external = System.getenv(POSTGRES_URL_ENV);
        if (external != null && !external.isBlank()) {
            URI uri = URI.create(external.startsWith("jdbc:") ? external.substring(5) : external);
            String[] userInfo = uri.getUserInfo() == null ? new String[]{"postgres", ""} : uri.getUserInfo().split(":", 2);
            String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
            return new Shared(bootstrap, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                    userInfo.length > 1 ? userInfo[1] : "", db);
        }
        EmbeddedPostgres pg = startPostgres();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // the JVM is going away; the temp directory is removed by zonky on a best-effort basis
            }
        }, "laurel-testkit-postgres-stop"));
        return new Shared(bootstrap, "localhost", pg.getPort(), "postgres", "postgres", "postgres");
    }

    private static String startKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, TEST_PARTITIONS);
        Map<String, String> properties = new HashMap<>(Map.of(
                "auto.create.topics.enable", "false",
                "offsets.topic.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1"));
        // the consumer group protocol's session and heartbeat as every broker Laurel ships sets them (a member
        // killed by a crash test gives its partitions up after 10 s)
        properties.putAll(ConsumerGroupBrokerSettings.SETTINGS);
        broker.brokerProperties(properties);
        broker.afterPropertiesSet();
        // no shutdown hook of ours: Kafka's test kit removes the broker's directories when the JVM exits,
        // and stopping the broker at the same moment only fills the log with errors about missing files
        return broker.getBrokersAsString();
    }

    private static EmbeddedPostgres startPostgres() {
        try {
            Path work = Path.of(System.getProperty("laurel.testkit.pg-work-dir",
                    System.getProperty("java.io.tmpdir") + "/laurel-testkit-pg"));
            Files.createDirectories(work);
            return EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.toFile())
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
    }
}
