package io.laurel.scoring.points;

import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.CopyRows;
import io.laurel.runtime.projection.PoisonRecordException;
import io.laurel.runtime.projection.ProjectionTx;
import io.laurel.scoring.rule.CapKey;
import io.laurel.scoring.rule.RulesEngine;
import io.laurel.scoring.rule.UnscorableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.laurel.runtime.projection.DecodedProjection;
import io.laurel.runtime.projection.Decoder;
import io.laurel.runtime.projection.Delivered;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Folds {@code laurel.events} into the points journal with the {@link RulesEngine}: the ledger (one row
 * per entry), per-user balances per currency, the rules' cap counters and the score events. Each new entry
 * is also published to {@code laurel.points}. An event already scored (the same event id again) changes
 * nothing and publishes nothing; an event that cannot be scored goes to the dead-letter topic.
 */
@Component
public class ScoringProjection implements DecodedProjection<EventAccepted> {
    public static final String NAME = "scoring";
    private static final Logger log = LoggerFactory.getLogger(ScoringProjection.class);

    private final TopicRegistry topics;
    private final CatalogView catalog;
    private final RulesEngine engine = new RulesEngine();

    public ScoringProjection(TopicRegistry topics, CatalogView catalog) {
        this.topics = topics;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Decoder<? extends EventAccepted>> decoders() {
        return Map.of(topics.events().name(), Decoder.of(topics.events(), EventAccepted::isComplete, "an accepted event"));
    }

    @Override
    public List<String> tables() {
        return List.of("ledger", "balances", "cap_usage", "score_events");
    }

    @Override
    public void createTables(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            // the key (entry_id) is a readers' index too: built with the others (createIndexes); a generation being
            // rebuilt appends without it, its events deduplicated by event id
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".ledger (entry_id text NOT NULL, tenant text NOT NULL,"
                    + " user_id text NOT NULL, event_id text, event_type text, source_key text, rule_id text,"
                    + " rule_version int, points bigint NOT NULL, currency text NOT NULL, kind text NOT NULL,"
                    + " occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL, description text,"
                    + " groups text[], reverses text)");
            // added with recalculations: the recalculation that posted an adjusted entry
            st.execute("ALTER TABLE " + s + ".ledger ADD COLUMN IF NOT EXISTS recalculation text");
            st.execute("CREATE INDEX IF NOT EXISTS ledger_recalculation ON " + s + ".ledger (recalculation)"
                    + " WHERE recalculation IS NOT NULL");
            st.execute("CREATE INDEX IF NOT EXISTS ledger_by_event ON " + s + ".ledger (event_id)");
            st.execute("CREATE INDEX IF NOT EXISTS ledger_reverses ON " + s + ".ledger (reverses) WHERE reverses IS NOT NULL");
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".balances (tenant text NOT NULL, user_id text NOT NULL,"
                    + " currency text NOT NULL, earned bigint NOT NULL DEFAULT 0, redeemed bigint NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (tenant, user_id, currency))");
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".cap_usage (tenant text NOT NULL, user_id text NOT NULL,"
                    + " rule_id text NOT NULL, scope text NOT NULL, period_start timestamptz NOT NULL,"
                    + " points bigint NOT NULL, count bigint NOT NULL,"
                    + " PRIMARY KEY (tenant, user_id, rule_id, scope, period_start))");
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".score_events (tenant text NOT NULL, id text NOT NULL,"
                    + " user_id text NOT NULL, date date NOT NULL, points bigint NOT NULL, description text,"
                    + " occurred_at timestamptz NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,"
                    + " PRIMARY KEY (tenant, id))");
        }
    }

    /**
     * What the API's reads go through (a user's ledger, score events by user and date): a rebuilt generation gets
     * them once it has caught up. The fold itself reads by event id, by award and by reversal.
     */
    @Override
    public void createIndexes(Connection c, String s) throws SQLException {
        // first, under the lock the rebuild's consumers take to build it for a removal (they may be at it now): the
        // ledger's key below locks the table, and taking the two in the consumers' order cannot deadlock with them
        awardsIndexForRemovals(c, s);
        try (Statement st = c.createStatement()) {
            boolean keyed;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_constraint WHERE conrelid = '" + s
                    + ".ledger'::regclass AND contype = 'p'")) {
                rs.next();
                keyed = rs.getLong(1) > 0;
            }
            if (!keyed) {
                st.execute("ALTER TABLE " + s + ".ledger ADD CONSTRAINT ledger_pkey PRIMARY KEY (entry_id)");
            }
            st.execute("CREATE INDEX IF NOT EXISTS ledger_by_user ON " + s + ".ledger (tenant, user_id, occurred_at DESC)");
            st.execute("CREATE INDEX IF NOT EXISTS score_events_by_user ON " + s + ".score_events (tenant, user_id, date)");
            st.execute("CREATE INDEX IF NOT EXISTS score_events_by_date ON " + s + ".score_events (tenant, date)");
        }
    }

    /**
     * The awards of a user by event type, newest first: what a removal reads to find the award it reverses. Kept up
     * by every award while live; a generation being rebuilt builds it in bulk when its first removal comes (a
     * history without removals never pays for it while filling), or with the readers' indexes once caught up.
     */
    private static void createAwardsIndex(Statement st, String s) throws SQLException {
        st.execute("CREATE INDEX IF NOT EXISTS ledger_awards ON " + s + ".ledger (tenant, user_id, event_type,"
                + " recorded_at DESC) WHERE kind = 'awarded'");
    }

    /**
     * Builds the awards index of a generation being rebuilt if it has none yet. The rebuild's consumers run side by
     * side: the first to need it builds it under a lock held until its batch commits (two would both pass IF NOT
     * EXISTS, and the second fail on the catalog's key); the others wait, then find it. Once it exists, nothing is
     * locked.
     */
    private static void awardsIndexForRemovals(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (awardsIndexExists(st, s)) {
                return;
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_advisory_xact_lock(hashtext('" + s + ".ledger_awards'))")) {
                rs.next();
            }
            if (!awardsIndexExists(st, s)) {
                createAwardsIndex(st, s);
            }
        }
    }

    private static boolean awardsIndexExists(Statement st, String s) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + s + ".ledger_awards') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Override
    public void applyDecoded(List<Delivered<EventAccepted>> records, ProjectionTx tx) throws Exception {
        Connection c = tx.connection();
        String s = tx.schema();
        List<EventAccepted> events = new ArrayList<>(records.size());
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>(records.size());
        Set<String> ids = new HashSet<>();
        long catalogPosition = 0;
        boolean unstamped = false;
        for (Delivered<EventAccepted> r : records) {
            EventAccepted e = r.value();
            if (ids.add(e.eventId())) {
                events.add(e);
                sources.add(r.source());
                if (e.catalogPosition() == null) {
                    unstamped = true;
                } else {
                    catalogPosition = Math.max(catalogPosition, e.catalogPosition());
                }
            }
        }
        // Every rule the writer knew of when it accepted these events must be known before they are scored:
        // wait until this view has read the catalog as far (a local check), or for an event that does not say
        // how far, until it has read everything published so far (a round trip to the broker).
        boolean caughtUp = unstamped ? catalog.catchUp(Duration.ofSeconds(10))
                : catalog.awaitPosition(catalogPosition, Duration.ofSeconds(10));
        if (!caughtUp) {
            throw new TimeoutException("the catalog could not be caught up");
        }
        if (tx.isRebuilding() && events.stream().anyMatch(e -> e.eventAction() == EventAction.REMOVE)) {
            awardsIndexForRemovals(c, s);
        }
        Map<String, String[]> adjustments = adjustmentEntries(events);
        Set<String> scored = alreadyScored(c, s, ids, adjustments);
        BatchScoringState state = new BatchScoringState(c, s);
        state.preload(capKeys(events, scored));
        Set<String> adjusted = new HashSet<>();
        adjustments.values().forEach(a -> adjusted.add(a[1]));
        state.preloadRemoved(adjusted);

        Map<String, PendingEntry> entries = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            EventAccepted event = events.get(i);
            if (scored.contains(event.eventId())) {
                continue;
            }
            List<PointsEntry> produced;
            try {
                produced = engine.score(event, catalog.rulesFor(event.tenant(), rulesType(event)), zone(event.tenant()), state);
            } catch (UnscorableEventException e) {
                throw new PoisonRecordException("event " + event.eventId() + " cannot be scored: " + e.getMessage(), e);
            }
            for (PointsEntry p : produced) {
                entries.putIfAbsent(p.entryId(), new PendingEntry(p, event, sources.get(i)));
            }
        }
        state.flush();
        if (entries.isEmpty()) {
            return;
        }
        Set<String> inserted = insertLedger(c, s, entries.values(), tx.isRebuilding());
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
            // a replayed entry is on laurel.points already: not even serialised
            tx.emit(p.source(), () -> new ProducerRecord<>(topics.points().name(), e.key(),
                    topics.points().valueSerde().serialize(topics.points().name(), e)));
        }
        upsertBalances(c, s, deltas);
    }

    /** The type whose rules apply: a recalculation's adjustment names the original event's. */
    private static String rulesType(EventAccepted e) {
        if (SystemTypes.POINTS_RECALCULATED.equals(e.eventType()) && e.eventData() != null
                && e.eventData().path("event_type").isTextual()) {
            return e.eventData().path("event_type").asText();
        }
        return e.eventType();
    }

    /** The idempotence key an entry is traced to: an adjustment's is the original event's. */
    private static String sourceKey(EventAccepted e) {
        if (SystemTypes.POINTS_RECALCULATED.equals(e.eventType()) && e.eventData() != null) {
            return e.eventData().path("idempotence_key").isTextual() ? e.eventData().path("idempotence_key").asText() : null;
        }
        return e.idempotenceKey();
    }

    /**
     * For each entry the batch's {@code points.recalculated} events post: {that event's id, the original event's
     * id}. The entries carry the original event's id, so a repeat is recognised by the entry, not by the event id.
     */
    private static Map<String, String[]> adjustmentEntries(List<EventAccepted> events) {
        Map<String, String[]> byEntry = new LinkedHashMap<>();
        for (EventAccepted e : events) {
            if (SystemTypes.POINTS_RECALCULATED.equals(e.eventType()) && e.eventData() != null) {
                var data = e.eventData();
                for (var a : data.path("adjustments")) {
                    if (a.path("currency").isTextual()) {
                        byEntry.put(RulesEngine.adjustmentId(data.path("recalculation").asText(),
                                data.path("event_id").asText(), a.path("currency").asText()),
                                new String[]{e.eventId(), data.path("event_id").asText()});
                    }
                }
            }
        }
        return byEntry;
    }

    private ZoneId zone(String tenant) {
        return catalog.tenant(tenant).map(TenantDefinition::zone).orElse(ZoneOffset.UTC);
    }

    /** The cap counters the batch's creates may touch, so they are read in one query. */
    private List<CapKey> capKeys(List<EventAccepted> events, Set<String> scored) {
        List<CapKey> keys = new ArrayList<>();
        for (EventAccepted e : events) {
            if (scored.contains(e.eventId()) || e.eventAction() != EventAction.CREATE || SystemTypes.isSystem(e.eventType())) {
                continue;
            }
            for (RuleDefinition rule : catalog.rulesFor(e.tenant(), e.eventType())) {
                RuleDefinition v = rule.versionAt(e.receivedAt());
                if (v != null && (v.cap() != null || v.oncePerUser())) {
                    keys.addAll(RulesEngine.limitKeys(e.tenant(), e.userId(), v, e.occurredAt(), zone(e.tenant())));
                }
            }
        }
        return keys;
    }

    /** Events of this batch that already have entries in the ledger: a redelivery or a repeated event id. */
    private static Set<String> alreadyScored(Connection c, String s, Set<String> ids, Map<String, String[]> adjustments)
            throws SQLException {
        Set<String> found = new HashSet<>();
        if (!adjustments.isEmpty()) {
            // an adjustment's entry carries the original event's id: found through the event index
            Set<String> originals = new HashSet<>();
            adjustments.values().forEach(a -> originals.add(a[1]));
            try (PreparedStatement ps = c.prepareStatement("SELECT entry_id FROM " + s + ".ledger WHERE event_id = ANY(?)"
                    + " AND recalculation IS NOT NULL")) {
                ps.setArray(1, c.createArrayOf("text", originals.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String[] a = adjustments.get(rs.getString(1));
                        if (a != null) {
                            found.add(a[0]);
                        }
                    }
                }
            }
        }
        // each id looked up through the event index (a lateral probe, LIMIT 1): given a batch of 10,000 ids, the planner
        // prefers one scan of the whole ledger to 10,000 probes up to millions of rows (measured on a ledger of 1,000,000
        // rows: 273 ms scanned, 18 ms probed), so a replay's batches read the ledger again and again
        try (PreparedStatement ps = c.prepareStatement("SELECT k.id FROM unnest(?::text[]) AS k(id) CROSS JOIN LATERAL"
                + " (SELECT 1 FROM " + s + ".ledger l WHERE l.event_id = k.id LIMIT 1) AS scored"
                + " UNION SELECT id FROM " + s + ".score_events WHERE id = ANY(?)")) {
            Array array = c.createArrayOf("text", ids.toArray());
            ps.setArray(1, array);
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    private record PendingEntry(PointsEntry entry, EventAccepted event, ConsumerRecord<String, byte[]> source) {
    }

    /**
     * Appends the entries; returns those that were new. The batch's events were deduplicated by event id (in the
     * batch, and against the ledger by {@link #alreadyScored}), and an entry's id derives from its event's, so
     * every entry is new: they are streamed in with COPY. Live, the ledger's key stands guard: should an entry
     * id exist all the same, the COPY is undone (to a savepoint) and the batch is inserted again skipping the
     * repeats, so nothing counts twice. While the generation is being rebuilt it has no key yet.
     */
    private static Set<String> insertLedger(Connection c, String s, java.util.Collection<PendingEntry> entries,
                                            boolean bulk) throws SQLException {
        Set<String> all = new HashSet<>();
        entries.forEach(p -> all.add(p.entry().entryId()));
        if (bulk) {
            copyLedger(c, s, entries);
            return all;
        }
        Savepoint before = c.setSavepoint();
        try {
            copyLedger(c, s, entries);
            c.releaseSavepoint(before);
            return all;
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(before);
            log.warn("an entry of this batch is in the ledger already ({}): inserting it again without the repeats",
                    e.getMessage());
            return insertSkippingRepeats(c, s, entries);
        }
    }

    private static final String LEDGER_COLUMNS = "entry_id, tenant, user_id, event_id, event_type, source_key, rule_id,"
            + " rule_version, points, currency, kind, occurred_at, recorded_at, description, groups, reverses, recalculation";

    private static void copyLedger(Connection c, String s, java.util.Collection<PendingEntry> entries) throws SQLException {
        CopyRows.copy(c, "COPY " + s + ".ledger (" + LEDGER_COLUMNS + ") FROM STDIN WITH (FORMAT csv)", entries, (b, p) -> {
            PointsEntry e = p.entry();
            CopyRows.text(b, e.entryId()).append(',');
            CopyRows.text(b, e.tenant()).append(',');
            CopyRows.text(b, e.userId()).append(',');
            CopyRows.text(b, e.eventId()).append(',');
            CopyRows.text(b, e.eventType()).append(',');
            CopyRows.text(b, sourceKey(p.event())).append(',');
            CopyRows.text(b, e.ruleId()).append(',');
            if (e.ruleVersion() != null) {
                b.append(e.ruleVersion().intValue());
            }
            b.append(',').append(e.points()).append(',');
            CopyRows.text(b, e.currency()).append(',');
            CopyRows.text(b, e.kind().wireName()).append(',');
            b.append(e.occurredAt()).append(',').append(e.recordedAt()).append(',');
            CopyRows.text(b, e.description()).append(',');
            CopyRows.textArray(b, e.groups()).append(',');
            CopyRows.text(b, e.reverses()).append(',');
            CopyRows.text(b, e.recalculation()).append('\n');
        });
    }

    /** Inserts the entries whose ids the ledger does not hold yet; returns those. */
    private static Set<String> insertSkippingRepeats(Connection c, String s, java.util.Collection<PendingEntry> entries)
            throws SQLException {
        int n = entries.size();
        String[] ids = new String[n], tenants = new String[n], users = new String[n], events = new String[n],
                types = new String[n], keys = new String[n], rules = new String[n], currencies = new String[n],
                kinds = new String[n], descriptions = new String[n], groups = new String[n], reverses = new String[n],
                recalculations = new String[n];
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
            types[i] = e.eventType();
            keys[i] = sourceKey(p.event());
            rules[i] = e.ruleId();
            versions[i] = e.ruleVersion();
            points[i] = e.points();
            currencies[i] = e.currency();
            kinds[i] = e.kind().wireName();
            occurred[i] = Timestamp.from(e.occurredAt());
            recorded[i] = Timestamp.from(e.recordedAt());
            descriptions[i] = e.description();
            groups[i] = CopyRows.arrayLiteral(e.groups());
            reverses[i] = e.reverses();
            recalculations[i] = e.recalculation();
            i++;
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".ledger (" + LEDGER_COLUMNS + ")"
                + " SELECT i, t, u, e, et, sk, r, v, p, cu, k, o, rc, d, g::text[], rv, rl FROM unnest(?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[],"
                + " ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[])"
                + " AS x(i, t, u, e, et, sk, r, v, p, cu, k, o, rc, d, g, rv, rl)"
                + " ON CONFLICT (entry_id) DO NOTHING RETURNING entry_id")) {
            Object[][] arrays = {ids, tenants, users, events, types, keys, rules, versions, points, currencies, kinds,
                    occurred, recorded, descriptions, groups, reverses, recalculations};
            String[] sqlTypes = {"text", "text", "text", "text", "text", "text", "text", "int4", "int8", "text", "text",
                    "timestamptz", "timestamptz", "text", "text", "text", "text"};
            for (int k = 0; k < arrays.length; k++) {
                ps.setArray(k + 1, c.createArrayOf(sqlTypes[k], arrays[k]));
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
