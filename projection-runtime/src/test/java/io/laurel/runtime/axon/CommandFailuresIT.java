package io.laurel.runtime.axon;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Two instances handling a command for one aggregate at the same moment both append its next event; the JDBC event
 * store (as the services configure it, with Laurel's duplicate-key resolver) refuses the second. For the aggregate's
 * first event that refusal is an {@code AggregateStreamCreationException}, which Axon does not make a
 * {@code ConcurrencyException}: before, two ingest instances starting together could both declare a system event
 * type and the loser's start failed on it. Here the refusals come from the real store on PostgreSQL.
 */
class CommandFailuresIT {
    private final TestEnvironment env = LaurelTestInfra.forClass(CommandFailuresIT.class);

    @Test
    void theStoresRefusalsOfAConcurrentAppendAreContended() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(env.jdbcUrl());
        config.setUsername(env.username());
        config.setPassword(env.password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
            JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                    .connectionProvider(new DataSourceConnectionProvider(ds))
                    .transactionManager(NoTransactionManager.INSTANCE)
                    .eventSerializer(serializer).snapshotSerializer(serializer)
                    .persistenceExceptionResolver(new AxonSupportAutoConfiguration().postgresDuplicateKeyResolver())
                    .build();
            engine.createSchema(PostgresEventTableFactory.INSTANCE);

            engine.appendEvents(event("et:default:purchase", 0));
            Throwable creation = catchThrowable(() -> engine.appendEvents(event("et:default:purchase", 0)));
            assertThat(creation).isNotNull();
            assertThat(CommandFailures.contended(CommandFailures.cause(creation))).as(creation.toString()).isTrue();
            assertThat(creation.getClass().getSimpleName()).isEqualTo("AggregateStreamCreationException");

            engine.appendEvents(event("et:default:purchase", 1));
            Throwable next = catchThrowable(() -> engine.appendEvents(event("et:default:purchase", 1)));
            assertThat(CommandFailures.contended(CommandFailures.cause(next))).as(String.valueOf(next)).isTrue();

            // as the command bus hands it back: wrapped
            Throwable wrapped = new CommandExecutionException("failed", creation);
            assertThat(CommandFailures.cause(wrapped)).isSameAs(creation);
            assertThat(CommandFailures.contended(CommandFailures.cause(new IllegalStateException("other")))).isFalse();
        }
    }

    private static GenericDomainEventMessage<Map<String, String>> event(String aggregate, long sequence) {
        return new GenericDomainEventMessage<>("EventType", aggregate, sequence, Map.of("name", "purchase"));
    }
}
