package io.laurel.testkit;

import io.laurel.events.topic.TopicRegistry;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What one test class gets: the shared broker and PostgreSQL server, and its own database and topic
 * prefix, so classes never see each other's data.
 */
public record TestEnvironment(
        String bootstrapServers,
        String postgresHost,
        int postgresPort,
        String database,
        String username,
        String password,
        TopicRegistry topics) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + postgresHost + ":" + postgresPort + "/" + database;
    }

    public String topicPrefix() {
        return topics.prefix();
    }

    public Connection openConnection() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", username);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** The configuration a Laurel service needs to run against this environment. */
    public Map<String, String> laurelProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("laurel.kafka.bootstrap-servers", bootstrapServers);
        p.put("laurel.kafka.topic-prefix", topics.prefix());
        p.put("laurel.kafka.partitions", Integer.toString(topics.events().partitions()));
        p.put("laurel.postgres.host", postgresHost);
        p.put("laurel.postgres.port", Integer.toString(postgresPort));
        p.put("laurel.postgres.database", database);
        p.put("laurel.postgres.username", username);
        p.put("laurel.postgres.password", password);
        return p;
    }

    /** For {@code @DynamicPropertySource}: points a Spring Boot test at this environment. */
    public void register(DynamicPropertyRegistry registry) {
        laurelProperties().forEach((k, v) -> registry.add(k, () -> v));
    }
}
