package io.laurel.scoring.points;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.Ids;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.projection.ProjectionStatus;
import io.laurel.scoring.app.ScoringServiceApplication;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live ledger is appended with COPY, trusting that an event not scored before yields only new entry ids; the
 * ledger's key stands guard. Here an entry id the next event will produce is planted in the ledger beforehand (under
 * another event id, so the event-id check cannot see it): the batch must then count that entry once (not at all
 * again), score the rest, dead-letter nothing, and go on appending with COPY.
 */
class LedgerKeyGuardIT {
    private static final Instant DEFINED = Instant.parse("2026-01-01T00:00:00Z");
    private final TestEnvironment env = LaurelTestInfra.forClass(LedgerKeyGuardIT.class);

    @Test
    void anEntryAlreadyInTheLedgerCountsOnceAndTheBatchGoesOn() throws Exception {
        TopicRegistry topics = env.topics();
        RuleDefinition tenPoints = new RuleDefinition("acme", "r1", "ten points", "purchase", 10, "points", null, null,
                null, false, true, 1, DEFINED, DEFINED, null);
        RuleDefinition twoCoins = new RuleDefinition("acme", "r2", "two coins", "purchase", 2, "coins", null, null,
                null, false, true, 1, DEFINED, DEFINED, null);
        Map<String, Object> props = new HashMap<>(env.laurelProperties());
        props.put("server.port", "0");
        props.put("laurel.admin-key", "lrl_ledger_guard_key_0123456789abc");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
             ConfigurableApplicationContext app = new SpringApplicationBuilder(ScoringServiceApplication.class)
                     .properties(props).run()) {
            String catalog = topics.catalog().name();
            for (CatalogDefinition d : List.<CatalogDefinition>of(
                    new TenantDefinition("acme", "Acme", "UTC", 1, DEFINED, DEFINED), tenPoints, twoCoins)) {
                producer.send(new ProducerRecord<>(catalog, d.key(), topics.catalog().valueSerde().serialize(catalog, d))).get();
            }
            ProjectionManager manager = app.getBean(ProjectionManager.class);
            send(producer, topics, purchase("evt-1", "ann"));
            await().atMost(Duration.ofSeconds(60)).until(() -> earned(manager, "ann", "points") == 10);

            // the entry r1 will give evt-2, planted under another event id
            String planted = Ids.derived("evt-2", "r1", "1", PointsEntryKind.AWARDED.wireName()).toString();
            try (Connection c = env.openConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                    + manager.liveSchema(ScoringProjection.NAME) + ".ledger (entry_id, tenant, user_id, event_id,"
                    + " points, currency, kind, occurred_at, recorded_at) VALUES (?, 'acme', 'bob', 'planted', 10,"
                    + " 'points', 'awarded', now(), now())")) {
                ps.setString(1, planted);
                ps.executeUpdate();
            }
            send(producer, topics, purchase("evt-2", "bob"));
            send(producer, topics, purchase("evt-3", "bob"));
            await().atMost(Duration.ofSeconds(60)).until(() -> earned(manager, "bob", "coins") == 4);

            // evt-2's points entry was there already: not counted again; its coins and evt-3's entries were new
            assertThat(earned(manager, "bob", "points")).isEqualTo(10);
            assertThat(ledgerOf(manager, "evt-2")).isEqualTo(1);
            assertThat(ledgerOf(manager, "evt-3")).isEqualTo(2);
            ProjectionStatus scoring = manager.status().stream()
                    .filter(s -> s.name().equals(ScoringProjection.NAME)).findFirst().orElseThrow();
            assertThat(scoring.deadLettered()).isZero();

            // and the next batches append as before
            send(producer, topics, purchase("evt-4", "cy"));
            await().atMost(Duration.ofSeconds(60)).until(() -> earned(manager, "cy", "coins") == 2);
            assertThat(earned(manager, "cy", "points")).isEqualTo(10);
        }
    }

    private static EventAccepted purchase(String id, String user) {
        return new EventAccepted(id, "acme", "purchase", 1, user, JsonNodeFactory.instance.objectNode().put("amount", 5),
                EventAction.CREATE, null, Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T10:00:01Z"),
                List.of());
    }

    private static void send(KafkaProducer<String, byte[]> producer, TopicRegistry topics, EventAccepted e) throws Exception {
        String t = topics.events().name();
        producer.send(new ProducerRecord<>(t, e.key(), topics.events().valueSerde().serialize(t, e))).get();
    }

    private long earned(ProjectionManager manager, String user, String currency) throws Exception {
        try (Connection c = env.openConnection(); PreparedStatement ps = c.prepareStatement("SELECT earned FROM "
                + manager.liveSchema(ScoringProjection.NAME) + ".balances WHERE tenant = 'acme' AND user_id = ?"
                + " AND currency = ?")) {
            ps.setString(1, user);
            ps.setString(2, currency);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private long ledgerOf(ProjectionManager manager, String eventId) throws Exception {
        try (Connection c = env.openConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM "
                + manager.liveSchema(ScoringProjection.NAME) + ".ledger WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
