package io.laurel.scoring.points;

import io.laurel.events.EventAccepted;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.PoisonRecordException;
import io.laurel.runtime.projection.Projection;
import io.laurel.runtime.projection.ProjectionTx;
import io.laurel.scoring.rule.RulesEngine;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Folds {@code laurel.events} into the points journal: the ledger (one row per entry) and per-user
 * balances per currency. Each new entry is also published to {@code laurel.points}. An entry already
 * in the ledger (a redelivered event) changes nothing and is not published again.
 */
@Component
public class ScoringProjection implements Projection {
    public static final String NAME = "scoring";

    private final TopicRegistry topics;
    private final CatalogView catalog;

    public ScoringProjection(TopicRegistry topics, CatalogView catalog) {
        this.topics = topics;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> topics() {
        return List.of(topics.events().name());
    }

    @Override
    public List<String> tables() {
        return List.of("ledger", "balances");
    }

    @Override
    public void createTables(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".ledger (entry_id text PRIMARY KEY, tenant text NOT NULL,"
                    + " user_id text NOT NULL, event_id text, rule_id text, rule_version int, points bigint NOT NULL,"
                    + " currency text NOT NULL, kind text NOT NULL, occurred_at timestamptz NOT NULL,"
                    + " recorded_at timestamptz NOT NULL, description text)");
            st.execute("CREATE INDEX IF NOT EXISTS ledger_by_user ON " + s + ".ledger (tenant, user_id, occurred_at DESC)");
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".balances (tenant text NOT NULL, user_id text NOT NULL,"
                    + " currency text NOT NULL, earned bigint NOT NULL DEFAULT 0, redeemed bigint NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (tenant, user_id, currency))");
        }
    }

    @Override
    public void apply(List<ConsumerRecord<String, byte[]>> records, ProjectionTx tx) throws Exception {
        // Rules published before these events must be known before they are scored.
        if (!catalog.catchUp(Duration.ofSeconds(10))) {
            throw new TimeoutException("the catalog could not be caught up");
        }
        Map<String, PendingEntry> entries = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            EventAccepted event = read(r);
            for (PointsEntry e : RulesEngine.entriesFor(event, catalog.rulesFor(event.tenant(), event.eventType()))) {
                entries.putIfAbsent(e.entryId(), new PendingEntry(e, r));
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        Set<String> inserted = insertLedger(tx.connection(), tx.schema(), entries.values());
        Map<List<String>, long[]> deltas = new LinkedHashMap<>();
        for (PendingEntry p : entries.values()) {
            if (!inserted.contains(p.entry().entryId())) {
                continue;
            }
            PointsEntry e = p.entry();
            long[] d = deltas.computeIfAbsent(List.of(e.tenant(), e.userId(), e.currency()), k -> new long[2]);
            if (e.kind() == PointsEntryKind.REDEEMED) {
                d[1] += -e.points();
            } else {
                d[0] += e.points();
            }
            tx.emit(p.source(), new ProducerRecord<>(topics.points().name(), e.key(),
                    topics.points().valueSerde().serialize(topics.points().name(), e)));
        }
        upsertBalances(tx.connection(), tx.schema(), deltas);
    }

    private EventAccepted read(ConsumerRecord<String, byte[]> r) {
        return PoisonRecordException.decode(topics.events().valueSerde(), r, e -> e.isComplete(), "an accepted event");
    }

    private record PendingEntry(PointsEntry entry, ConsumerRecord<String, byte[]> source) {
    }

    private static Set<String> insertLedger(Connection c, String s, java.util.Collection<PendingEntry> entries)
            throws SQLException {
        int n = entries.size();
        String[] ids = new String[n], tenants = new String[n], users = new String[n], events = new String[n],
                rules = new String[n], currencies = new String[n], kinds = new String[n], descriptions = new String[n];
        Integer[] versions = new Integer[n];
        Long[] points = new Long[n];
        Timestamp[] occurred = new Timestamp[n], recorded = new Timestamp[n];
        int i = 0;
        for (PendingEntry p : entries) {
            PointsEntry e = p.entry();
            ids[i] = e.entryId();
            tenants[i] = e.tenant();
            users[i] = e.userId();
            events[i] = e.eventId();
            rules[i] = e.ruleId();
            versions[i] = e.ruleVersion();
            points[i] = e.points();
            currencies[i] = e.currency();
            kinds[i] = e.kind().wireName();
            occurred[i] = Timestamp.from(e.occurredAt());
            recorded[i] = Timestamp.from(e.recordedAt());
            descriptions[i] = e.description();
            i++;
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".ledger (entry_id, tenant, user_id, event_id,"
                + " rule_id, rule_version, points, currency, kind, occurred_at, recorded_at, description)"
                + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[],"
                + " ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[])"
                + " ON CONFLICT (entry_id) DO NOTHING RETURNING entry_id")) {
            List<Array> arrays = new ArrayList<>();
            arrays.add(c.createArrayOf("text", ids));
            arrays.add(c.createArrayOf("text", tenants));
            arrays.add(c.createArrayOf("text", users));
            arrays.add(c.createArrayOf("text", events));
            arrays.add(c.createArrayOf("text", rules));
            arrays.add(c.createArrayOf("int4", versions));
            arrays.add(c.createArrayOf("int8", points));
            arrays.add(c.createArrayOf("text", currencies));
            arrays.add(c.createArrayOf("text", kinds));
            arrays.add(c.createArrayOf("timestamptz", occurred));
            arrays.add(c.createArrayOf("timestamptz", recorded));
            arrays.add(c.createArrayOf("text", descriptions));
            for (int k = 0; k < arrays.size(); k++) {
                ps.setArray(k + 1, arrays.get(k));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }

    private static void upsertBalances(Connection c, String s, Map<List<String>, long[]> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        int n = deltas.size();
        String[] tenants = new String[n], users = new String[n], currencies = new String[n];
        Long[] earned = new Long[n], redeemed = new Long[n];
        int i = 0;
        for (var e : deltas.entrySet()) {
            tenants[i] = e.getKey().get(0);
            users[i] = e.getKey().get(1);
            currencies[i] = e.getKey().get(2);
            earned[i] = e.getValue()[0];
            redeemed[i] = e.getValue()[1];
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".balances (tenant, user_id, currency, earned,"
                + " redeemed) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])"
                + " ON CONFLICT (tenant, user_id, currency) DO UPDATE SET earned = balances.earned + EXCLUDED.earned,"
                + " redeemed = balances.redeemed + EXCLUDED.redeemed")) {
            ps.setArray(1, c.createArrayOf("text", tenants));
            ps.setArray(2, c.createArrayOf("text", users));
            ps.setArray(3, c.createArrayOf("text", currencies));
            ps.setArray(4, c.createArrayOf("int8", earned));
            ps.setArray(5, c.createArrayOf("int8", redeemed));
            ps.executeUpdate();
        }
    }
}
