package io.laurel.scoring.recalc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.scoring.app.ScoringServiceApplication;
import io.laurel.scoring.points.ScoringProjection;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scoring service is stopped while it applies a recalculation and started again: the apply resumes and
 * every adjustment is posted exactly once (in the ledger, in the balances and on {@code laurel.points}).
 */
class RecalculationRestartIT {
    private static final Instant DEFINED = Instant.parse("2026-01-01T00:00:00Z");
    private static final int EVENTS = 6_000;
    private static final int USERS = 200;
    private final TestEnvironment env = LaurelTestInfra.forClass(RecalculationRestartIT.class);

    @Test
    void applyingResumesAfterAStopAndPostsEveryAdjustmentOnce() throws Exception {
        TopicRegistry topics = env.topics();
        RuleDefinition v1 = new RuleDefinition("acme", "r1", "likes", "like", 10, "points", null, null, null, false, true,
                1, DEFINED, DEFINED, null);
        Map<String, Integer> likesPerUser = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            List<CatalogDefinition> defs = List.of(new TenantDefinition("acme", "Acme", "UTC", 1, DEFINED, DEFINED), v1);
            for (CatalogDefinition d : defs) {
                send(producer, topics.catalog().name(), d.key(), topics.catalog().valueSerde().serialize(topics.catalog().name(), d));
            }
            Instant received = Instant.parse("2026-04-01T00:00:00Z");
            for (int i = 0; i < EVENTS; i++) {
                String user = "u" + (i % USERS);
                likesPerUser.merge(user, 1, Integer::sum);
                EventAccepted e = new EventAccepted("evt-" + i, "acme", "like", 1, user,
                        JsonNodeFactory.instance.objectNode(), EventAction.CREATE, null,
                        Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i * 60L), received.plusMillis(i), List.of());
                producer.send(new ProducerRecord<>(topics.events().name(), e.key(),
                        topics.events().valueSerde().serialize(topics.events().name(), e)));
            }
            producer.flush();

            ConfigurableApplicationContext first = start();
            await().atMost(Duration.ofSeconds(120)).until(() -> count(first, "SELECT count(*) FROM %s.ledger") == EVENTS);
            // the rule goes from 10 to 20 points
            RuleDefinition v2 = new RuleDefinition("acme", "r1", "likes", "like", 20, "points", null, null, null, false,
                    true, 2, DEFINED, Instant.now(), List.of(v1));
            send(producer, topics.catalog().name(), v2.key(), topics.catalog().valueSerde().serialize(topics.catalog().name(), v2));
            CatalogView catalog = first.getBean(CatalogView.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> catalog.rule("acme", "r1").map(RuleDefinition::version)
                    .orElse(0) == 2);

            RecalculationService service = first.getBean(RecalculationService.class);
            UUID id = service.startDryRun("acme", new Recalculator.Window(null, null, null, null)).id();
            await().atMost(Duration.ofSeconds(120)).until(() -> status(id).equals("ready"));
            RecalculationStore.Row ready = service.find("acme", id).orElseThrow();
            // by hand: every like gains 10
            assertThat(ready.eventsScanned()).isEqualTo(EVENTS);
            assertThat(ready.eventsChanged()).isEqualTo(EVENTS);
            assertThat(ready.entriesChanged()).isEqualTo(EVENTS);
            assertThat(ready.usersChanged()).isEqualTo(USERS);
            assertThat(ready.totals()).isEqualTo("[{\"currency\":\"points\",\"points_gained\":60000,\"points_lost\":0,"
                    + "\"net\":60000}]");

            service.apply("acme", id);
            // stop while it is applying: some adjustments posted, not all
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> applied(id) > 0);
            first.close();
            long atStop = applied(id);
            assertThat(status(id)).isEqualTo("applying");
            assertThat(atStop).isGreaterThan(0).isLessThan(EVENTS);

            try (ConfigurableApplicationContext second = start()) {
                await().atMost(Duration.ofSeconds(120)).until(() -> status(id).equals("applied"));
                assertThat(count(second, "SELECT count(*) FROM %s.ledger WHERE kind = 'adjusted' AND recalculation = '"
                        + id + "'")).isEqualTo(EVENTS);
                Map<String, Long> balances = balances(second);
                assertThat(balances).hasSize(USERS);
                likesPerUser.forEach((user, likes) -> assertThat(balances.get(user)).as(user).isEqualTo(20L * likes));
                // the journal topic carries each adjustment once
                List<PointsEntry> adjusted = journal(topics).stream()
                        .filter(p -> p.kind() == PointsEntryKind.ADJUSTED && id.toString().equals(p.recalculation())).toList();
                Set<String> entryIds = new HashSet<>();
                adjusted.forEach(p -> entryIds.add(p.entryId()));
                assertThat(adjusted).hasSize(EVENTS);
                assertThat(entryIds).hasSize(EVENTS);
                assertThat(adjusted).allSatisfy(p -> assertThat(p.points()).isEqualTo(10));
            }
        }
    }

    @Test
    void aRemoveInTheSameBatchAsAnAdjustmentRevokesBothAndALaterRepeatPostsNothing() throws Exception {
        TopicRegistry topics = env.topics();
        RuleDefinition rule = new RuleDefinition("beta", "rb", "likes", "like", 10, "points", null, null, null, false,
                true, 1, DEFINED, DEFINED, null);
        Instant at = Instant.parse("2026-03-02T10:00:00Z");
        EventAccepted create = new EventAccepted("beta-create", "beta", "like", 1, "bea",
                JsonNodeFactory.instance.objectNode(), EventAction.CREATE, "k-1", at, at, List.of());
        com.fasterxml.jackson.databind.node.ObjectNode data = JsonNodeFactory.instance.objectNode()
                .put("recalculation", "rc-beta").put("event_id", "beta-create").put("event_type", "like")
                .put("idempotence_key", "k-1");
        data.putArray("adjustments").addObject().put("currency", "points").put("rule_id", "rb").put("rule_version", 1)
                .put("points", 10).put("count", 0);
        EventAccepted adjustment = new EventAccepted("beta-adjust", "beta", "points.recalculated", 1, "bea", data,
                EventAction.CREATE, null, at, at.plusSeconds(60), List.of());
        EventAccepted remove = new EventAccepted("beta-remove", "beta", "like", 1, "bea",
                JsonNodeFactory.instance.objectNode(), EventAction.REMOVE, "k-1", at, at.plusSeconds(120), List.of());
        EventAccepted marker = new EventAccepted("beta-marker", "beta", "like", 1, "bea",
                JsonNodeFactory.instance.objectNode(), EventAction.CREATE, "k-2", at, at.plusSeconds(180), List.of());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            List<CatalogDefinition> defs = List.of(new TenantDefinition("beta", "Beta", "UTC", 1, DEFINED, DEFINED), rule);
            for (CatalogDefinition d : defs) {
                send(producer, topics.catalog().name(), d.key(), topics.catalog().valueSerde().serialize(topics.catalog().name(), d));
            }
            // one user, one partition, sent together before the service starts: folded in one batch
            String t = topics.events().name();
            for (EventAccepted e : List.of(create, adjustment, remove, adjustment, marker)) {
                producer.send(new ProducerRecord<>(t, e.key(), topics.events().valueSerde().serialize(t, e)));
            }
            producer.flush();
            try (ConfigurableApplicationContext app = start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> count(app,
                        "SELECT count(*) FROM %s.ledger WHERE tenant = 'beta' AND event_id = 'beta-marker'") == 1);
                // award +10, adjustment +10, both revoked; the repeated adjustment (after the remove) posts nothing
                assertThat(count(app, "SELECT count(*) FROM %s.ledger WHERE tenant = 'beta' AND kind = 'revoked'")).isEqualTo(2);
                assertThat(count(app, "SELECT count(*) FROM %s.ledger WHERE tenant = 'beta' AND kind = 'adjusted'")).isEqualTo(1);
                assertThat(count(app, "SELECT coalesce(sum(points), 0) FROM %s.ledger WHERE tenant = 'beta'")).isEqualTo(10);
                assertThat(count(app, "SELECT earned FROM %s.balances WHERE tenant = 'beta' AND user_id = 'bea'")).isEqualTo(10);
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private ConfigurableApplicationContext start() {
        Map<String, Object> props = new HashMap<>(env.laurelProperties());
        props.put("server.port", "0");
        props.put("laurel.admin-key", "lrl_recalc_restart_key_0123456789");
        props.put("laurel.recalculation.apply-chunk", "50");
        // 6 s for the 6,000 adjustments: the stop comes while it applies, however fast the machine posts them
        props.put("laurel.recalculation.apply-rate", "1000");
        return new SpringApplicationBuilder(ScoringServiceApplication.class).properties(props).run();
    }

    private String status(UUID id) throws Exception {
        return string("SELECT status FROM laurel_recalc.recalculations WHERE id = '" + id + "'");
    }

    private long applied(UUID id) throws Exception {
        return Long.parseLong(string("SELECT entries_applied FROM laurel_recalc.recalculations WHERE id = '" + id + "'"));
    }

    private String string(String sql) throws Exception {
        try (Connection c = env.openConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private long count(ConfigurableApplicationContext app, String sql) throws Exception {
        String schema = app.getBean(ProjectionManager.class).liveSchema(ScoringProjection.NAME);
        return Long.parseLong(string(String.format(sql, schema)));
    }

    private Map<String, Long> balances(ConfigurableApplicationContext app) throws Exception {
        String schema = app.getBean(ProjectionManager.class).liveSchema(ScoringProjection.NAME);
        Map<String, Long> m = new HashMap<>();
        try (Connection c = env.openConnection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id, earned FROM " + schema + ".balances"
                     + " WHERE tenant = 'acme' AND currency = 'points'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    private List<PointsEntry> journal(TopicRegistry topics) {
        String topic = topics.points().name();
        List<PointsEntry> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(topics.points().valueSerde().deserialize(topic, r.value())));
            }
        }
        return out;
    }
}
