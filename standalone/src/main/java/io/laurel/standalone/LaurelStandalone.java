package io.laurel.standalone;

import io.laurel.ingest.tenant.Bootstrap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One command, the whole platform: starts an embedded PostgreSQL and an embedded Kafka broker with
 * their data under {@code ./laurel-data} (kept across restarts), then the four services on one port.
 * Ctrl-C stops the services first, then Kafka, then PostgreSQL.
 */
public final class LaurelStandalone {
    private static final Logger log = LoggerFactory.getLogger(LaurelStandalone.class);

    private LaurelStandalone() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("axoniq.update-checker.disabled", "true");
        Path dataDir = Path.of(env("LAUREL_DATA_DIR", "laurel-data")).toAbsolutePath();
        int pgPort = Integer.parseInt(env("LAUREL_STANDALONE_POSTGRES_PORT", "15432"));
        int kafkaPort = Integer.parseInt(env("LAUREL_STANDALONE_KAFKA_PORT", "19092"));
        int controllerPort = Integer.parseInt(env("LAUREL_STANDALONE_KAFKA_CONTROLLER_PORT", "19093"));

        log.info("Laurel standalone: data under {}", dataDir);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), pgPort);
        log.info("PostgreSQL listening on localhost:{}", postgres.port());
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort, controllerPort);
        log.info("Kafka broker (KRaft) listening on {}", kafka.bootstrapServers());

        Map<String, Object> props = new HashMap<>();
        props.put("laurel.data-dir", dataDir.toString());
        // the same across restarts on this data directory: its consumers take their partitions back at once
        props.put("laurel.instance-id", instanceId(dataDir));
        props.put("laurel.kafka.bootstrap-servers", kafka.bootstrapServers());
        props.put("laurel.postgres.host", "localhost");
        props.put("laurel.postgres.port", Integer.toString(postgres.port()));
        props.put("laurel.postgres.database", EmbeddedPostgresServer.DATABASE);
        props.put("laurel.postgres.username", "postgres");
        props.put("laurel.postgres.password", "postgres");
        SpringApplication app = new SpringApplication(StandaloneApplication.class);
        app.setDefaultProperties(props);
        app.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context;
        try {
            context = app.run(args);
        } catch (RuntimeException e) {
            kafka.close();
            postgres.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Laurel standalone stopping");
            context.close();
            kafka.close();
            try {
                postgres.close();
            } catch (Exception e) {
                log.warn("PostgreSQL did not stop cleanly: {}", e.toString());
            }
            log.info("Laurel standalone stopped");
        }, "laurel-standalone-stop"));

        int port = context instanceof WebServerApplicationContext web ? web.getWebServer().getPort() : 8080;
        String key = context.getBean(Bootstrap.class).adminKey();
        String banner = """

                ==============================================================
                 Laurel is running: http://localhost:%d
                 Bootstrap API key (tenant 'default'):
                   %s
                 Data: %s
                 Try:  curl -H "Authorization: Bearer $KEY" http://localhost:%d/v1/admin/event-types
                 Stop: Ctrl-C
                ==============================================================
                """.formatted(port, key, dataDir, port);
        System.out.println(banner);
    }

    /** This data directory's instance id ({@code instance-id}, created on the first start). */
    static String instanceId(Path dataDir) throws java.io.IOException {
        Path file = dataDir.resolve("instance-id");
        if (java.nio.file.Files.exists(file)) {
            String id = java.nio.file.Files.readString(file).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = "standalone-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        java.nio.file.Files.createDirectories(dataDir);
        java.nio.file.Files.writeString(file, id + "\n");
        return id;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
