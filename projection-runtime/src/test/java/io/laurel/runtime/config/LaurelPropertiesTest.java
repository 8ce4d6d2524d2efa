package io.laurel.runtime.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment variables that docker-compose.yml and the docs name really configure Laurel: Spring
 * Boot binds both {@code LAUREL_KAFKA_BOOTSTRAP_SERVERS} and {@code LAUREL_KAFKA_BOOTSTRAPSERVERS}.
 */
class LaurelPropertiesTest {

    private static LaurelProperties bind(Map<String, Object> env) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(
                org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        return new Binder(ConfigurationPropertySources.from(sources))
                .bind("laurel", LaurelProperties.class).orElseGet(LaurelProperties::new);
    }

    @Test
    void defaultsWorkOnOneMachine() {
        LaurelProperties p = bind(Map.of());
        assertThat(p.getKafka().getBootstrapServers()).isEqualTo("localhost:9092");
        assertThat(p.getKafka().getTopicPrefix()).isEqualTo("laurel");
        assertThat(p.getPostgres().jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/laurel");
        assertThat(p.getIngest().getMaxEventBytes()).isEqualTo(1024 * 1024);
        assertThat(p.getDataDir()).isEqualTo(Path.of("laurel-data"));
        assertThat(p.getKafka().groupProtocolConfig()).isEqualTo("consumer");
    }

    @Test
    void theClassicGroupProtocolCanBeChosenForOlderBrokers() {
        assertThat(bind(Map.of("LAUREL_KAFKA_GROUP_PROTOCOL", "classic")).getKafka().groupProtocolConfig())
                .isEqualTo("classic");
        assertThat(bind(Map.of("LAUREL_KAFKA_GROUP_PROTOCOL", "CONSUMER")).getKafka().groupProtocolConfig())
                .isEqualTo("consumer");
    }

    @Test
    void springsOwnEnvironmentFormStillBinds() {
        assertThat(bind(Map.of("LAUREL_KAFKA_BOOTSTRAPSERVERS", "k:1")).getKafka().getBootstrapServers()).isEqualTo("k:1");
    }

    @Test
    void underscoredEnvironmentVariablesBind() {
        LaurelProperties p = bind(Map.of(
                "LAUREL_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "LAUREL_KAFKA_TOPIC_PREFIX", "prod",
                "LAUREL_POSTGRES_HOST", "postgres",
                "LAUREL_POSTGRES_PORT", "6543",
                "LAUREL_POSTGRES_DATABASE", "lrl",
                "LAUREL_POSTGRES_USERNAME", "u",
                "LAUREL_POSTGRES_PASSWORD", "p",
                "LAUREL_ADMIN_KEY", "secret",
                "LAUREL_DATA_DIR", "/data",
                "LAUREL_INGEST_MAX_FUTURE_SKEW", "10m"));
        assertThat(p.getKafka().getBootstrapServers()).isEqualTo("kafka:9092");
        assertThat(p.getKafka().getTopicPrefix()).isEqualTo("prod");
        assertThat(p.getPostgres().jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:6543/lrl");
        assertThat(p.getPostgres().getUsername()).isEqualTo("u");
        assertThat(p.getPostgres().getPassword()).isEqualTo("p");
        assertThat(p.getAdminKey()).isEqualTo("secret");
        assertThat(p.getDataDir()).isEqualTo(Path.of("/data"));
        assertThat(p.getIngest().getMaxFutureSkew()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void redemptionSettingsBindAndDefault() {
        assertThat(bind(Map.of("LAUREL_REDEMPTIONS_HOLD_TIMEOUT", "2h")).getRedemptions().getHoldTimeout())
                .isEqualTo(Duration.ofHours(2));
        assertThat(bind(Map.of()).getRedemptions().getHoldTimeout()).isEqualTo(Duration.ofMinutes(15));
    }
}
