package io.laurel.scoring.points;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.catalog.RuleCap;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.time.CalendarPeriod;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.scoring.app.ScoringServiceApplication;
import io.laurel.scoring.rule.InMemoryScoringState;
import io.laurel.scoring.rule.RulesEngine;
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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scoring service is stopped mid-stream and started again on the same broker and database; the
 * balances and the ledger then equal, exactly, what the test's own arithmetic gives over the same events
 * (conditions, expressions, a daily cap in Zurich time, once-per-user, removes and repeated event ids included),
 * worked out without the production rules engine.
 */
class ScoringRestartIT {
    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");
    private static final Instant DEFINED = Instant.parse("2026-01-01T00:00:00Z");
    private final TestEnvironment env = LaurelTestInfra.forClass(ScoringRestartIT.class);

    private static RuleDefinition rule(String id, long points, String currency, String condition, String expression,
                                       RuleCap cap, boolean once) {
        return new RuleDefinition("acme", id, "rule " + id, "purchase", points, currency, condition, expression, cap, once,
                true, 1, DEFINED, DEFINED, null);
    }

    @Test
    void aRestartMidStreamLeavesBalancesExactlyAsTheModelComputesThem() throws Exception {
        TopicRegistry topics = env.topics();
        List<RuleDefinition> rules = List.of(
                rule("r1", 10, "points", "amount >= 50", null, null, false),
                rule("r2", 0, "coins", null, "floor(amount / 10)", new RuleCap(CalendarPeriod.DAY, 30L, null), false),
                rule("r3", 100, "points", null, null, null, true));
        List<EventAccepted> events = events(12_000);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            String catalog = topics.catalog().name();
            List<CatalogDefinition> defs = new ArrayList<>();
            defs.add(new TenantDefinition("acme", "Acme", "Europe/Zurich", 1, DEFINED, DEFINED));
            defs.addAll(rules);
            for (CatalogDefinition d : defs) {
                producer.send(new ProducerRecord<>(catalog, d.key(), topics.catalog().valueSerde().serialize(catalog, d))).get();
            }

            ConfigurableApplicationContext first = start();
            String eventsTopic = topics.events().name();
            java.util.concurrent.atomic.AtomicBoolean firstStopped = new java.util.concurrent.atomic.AtomicBoolean();
            Thread sender = Thread.ofPlatform().start(() -> {
                // the first half while the first instance scores, the rest once it has stopped
                for (int i = 0; i < events.size(); i++) {
                    if (i == events.size() / 2) {
                        producer.flush();
                        await().atMost(Duration.ofSeconds(120)).untilTrue(firstStopped);
                    }
                    EventAccepted e = events.get(i);
                    producer.send(new ProducerRecord<>(eventsTopic, e.key(),
                            topics.events().valueSerde().serialize(eventsTopic, e)));
                }
                producer.flush();
            });
            // stop while events are still arriving and being scored
            await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRows(first) > 500);
            String firstSchema = first.getBean(ProjectionManager.class).liveSchema(ScoringProjection.NAME);
            boolean sending = sender.isAlive();
            first.close();
            firstStopped.set(true);
            long atStop = ledgerRows(firstSchema);
            sender.join();

            try (ConfigurableApplicationContext second = start()) {
                Expected model = model(events);
                Map<String, Long> expected = model.balances();
                long expectedEntries = model.entries();
                assertThat(expectedEntries).as("the model's entries, and the engine's in memory")
                        .isEqualTo(engineEntries(events, rules));
                assertThat(atStop).as("entries when the first instance stopped").isLessThan(expectedEntries);
                assertThat(sending).as("events were still being sent when it stopped").isTrue();
                await().atMost(Duration.ofSeconds(120)).until(() -> ledgerRows(second) == expectedEntries);
                assertThat(balances(second)).isEqualTo(expected);
                assertThat(ledgerRows(second)).isEqualTo(expectedEntries);
            }
        }
    }

    private ConfigurableApplicationContext start() {
        Map<String, Object> props = new HashMap<>(env.laurelProperties());
        props.put("server.port", "0");
        props.put("laurel.admin-key", "lrl_scoring_restart_key_0123456789");
        return new SpringApplicationBuilder(ScoringServiceApplication.class).properties(props).run();
    }

    /** Purchases of 300 users over three Zurich days, some removed later, some repeated (the same event id). */
    private static List<EventAccepted> events(int count) {
        SplittableRandom random = new SplittableRandom(7);
        List<EventAccepted> out = new ArrayList<>(count);
        Instant received = Instant.parse("2026-05-03T12:00:00Z");
        for (int i = 0; i < count; i++) {
            String user = "u" + random.nextInt(300);
            if (i > 100 && random.nextInt(20) == 0) {
                out.add(out.get(random.nextInt(out.size()))); // a repeat of an earlier event
                continue;
            }
            Instant occurred = Instant.parse("2026-05-01T20:00:00Z").plusSeconds(random.nextInt(3 * 24 * 3600));
            boolean remove = i > 100 && random.nextInt(12) == 0;
            String key = "order-" + random.nextInt(count / 2);
            out.add(new EventAccepted(String.format("evt-%06d", i), "acme", "purchase", 1, user,
                    JsonNodeFactory.instance.objectNode().put("amount", random.nextInt(1, 120)),
                    remove ? EventAction.REMOVE : EventAction.CREATE, key, occurred, received.plusMillis(i),
                    List.of()));
        }
        return out;
    }

    /**
     * The expected outcome, worked out here with plain arithmetic and nothing of the production rules engine:
     * r1 gives 10 points for an amount of 50 or more; r2 gives floor(amount / 10) coins, at most 30 coins a user
     * and Zurich day (an award that would cross 30 is cut to what is left); r3 gives 100 points once per user.
     * A remove takes back, entry by entry, every not yet revoked award of the user's latest create with the same
     * key that still has one, and gives its caps back (r2's coins; r3 may be earned again). A repeated event id
     * counts once. Returns the balances (user/currency, non-zero) and the number of ledger entries.
     */
    private record Expected(Map<String, Long> balances, long entries) {
    }

    private static Expected model(List<EventAccepted> events) {
        record Award(String rule, String currency, long amount, java.time.LocalDate day) {
        }
        record Create(String user, String key, List<Award> open) {
        }
        Map<String, Long> balances = new HashMap<>();
        Map<String, Long> coinsOfDay = new HashMap<>(); // user/day -> coins awarded by r2, net of revocations
        java.util.Set<String> hasBonus = new java.util.HashSet<>(); // users holding r3's 100 points
        List<Create> creates = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        long entries = 0;
        for (EventAccepted e : events) {
            if (!seen.add(e.eventId())) {
                continue;
            }
            String user = e.userId();
            if (e.eventAction() == EventAction.CREATE) {
                long amount = e.eventData().get("amount").asLong();
                java.time.LocalDate day = e.occurredAt().atZone(ZURICH).toLocalDate();
                List<Award> awards = new ArrayList<>();
                if (amount >= 50) {
                    awards.add(new Award("r1", "points", 10, day));
                }
                long coins = amount / 10;
                long left = 30 - coinsOfDay.getOrDefault(user + "/" + day, 0L);
                if (coins > 0 && left > 0) {
                    awards.add(new Award("r2", "coins", Math.min(coins, left), day));
                }
                if (!hasBonus.contains(user)) {
                    awards.add(new Award("r3", "points", 100, day));
                }
                for (Award a : awards) {
                    balances.merge(user + "/" + a.currency(), a.amount(), Long::sum);
                    if (a.rule().equals("r2")) {
                        coinsOfDay.merge(user + "/" + day, a.amount(), Long::sum);
                    }
                    if (a.rule().equals("r3")) {
                        hasBonus.add(user);
                    }
                }
                entries += awards.size();
                creates.add(new Create(user, e.idempotenceKey(), awards));
            } else {
                for (int i = creates.size() - 1; i >= 0; i--) {
                    Create c = creates.get(i);
                    if (c.user().equals(user) && c.key().equals(e.idempotenceKey()) && !c.open().isEmpty()) {
                        for (Award a : c.open()) {
                            balances.merge(user + "/" + a.currency(), -a.amount(), Long::sum);
                            if (a.rule().equals("r2")) {
                                coinsOfDay.merge(user + "/" + a.day(), -a.amount(), Long::sum);
                            }
                            if (a.rule().equals("r3")) {
                                hasBonus.remove(user);
                            }
                        }
                        entries += c.open().size();
                        c.open().clear();
                        break;
                    }
                }
            }
        }
        balances.values().removeIf(v -> v == 0);
        return new Expected(balances, entries);
    }

    /** The engine's view of the same events, only to show the model and the engine are not the same code. */
    private static long engineEntries(List<EventAccepted> events, List<RuleDefinition> rules) {
        RulesEngine engine = new RulesEngine();
        InMemoryScoringState state = new InMemoryScoringState();
        java.util.Set<String> seen = new java.util.HashSet<>();
        long n = 0;
        for (EventAccepted e : events) {
            if (seen.add(e.eventId())) {
                n += engine.score(e, rules, ZURICH, state).size();
            }
        }
        return n;
    }

    private long ledgerRows(ConfigurableApplicationContext app) throws Exception {
        return ledgerRows(app.getBean(ProjectionManager.class).liveSchema(ScoringProjection.NAME));
    }

    private long ledgerRows(String schema) throws Exception {
        try (Connection c = env.openConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".ledger")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }

    private Map<String, Long> balances(ConfigurableApplicationContext app) throws Exception {
        String schema = app.getBean(ProjectionManager.class).liveSchema(ScoringProjection.NAME);
        Map<String, Long> m = new HashMap<>();
        try (Connection c = env.openConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT user_id, currency, earned FROM " + schema + ".balances")) {
            while (rs.next()) {
                if (rs.getLong(3) != 0) {
                    m.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return m;
    }
}
