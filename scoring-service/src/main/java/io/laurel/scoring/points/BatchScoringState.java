package io.laurel.scoring.points;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.scoring.rule.CapKey;
import io.laurel.scoring.rule.CapUsage;
import io.laurel.scoring.rule.ScoringState;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scoring state of one batch: what the projection's tables hold, overlaid with what this batch has
 * changed so far. Reads go to PostgreSQL once per key (cap counters preloaded in one query); the batch's
 * changes are written back by {@link #flush} in the batch's transaction.
 */
final class BatchScoringState implements ScoringState {
    private final Connection c;
    private final String s;
    private final Map<CapKey, CapUsage> usage = new HashMap<>();
    private final Set<CapKey> dirtyUsage = new HashSet<>();
    private final List<Award> batchAwards = new ArrayList<>();
    private final Set<String> reversedInBatch = new HashSet<>();
    /** Creates (tenant/event id) whose awards are revoked: in the tables (preloaded) or by this batch. */
    private final Set<String> removedEvents = new HashSet<>();
    private final Map<String, ScoreEvent> scoreEvents = new HashMap<>();
    private final Map<String, ScoreEvent> dirtyScoreEvents = new LinkedHashMap<>();

    private record Award(EventAccepted source, PointsEntry entry) {
    }

    BatchScoringState(Connection c, String schema) {
        this.c = c;
        this.s = schema;
    }

    /** Loads the counters of {@code keys} in one query. */
    void preload(Collection<CapKey> keys) throws SQLException {
        List<CapKey> missing = keys.stream().filter(k -> !usage.containsKey(k)).distinct().toList();
        if (missing.isEmpty()) {
            return;
        }
        int n = missing.size();
        String[] tenants = new String[n], users = new String[n], rules = new String[n], scopes = new String[n];
        Timestamp[] starts = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            CapKey k = missing.get(i);
            tenants[i] = k.tenant();
            users[i] = k.userId();
            rules[i] = k.ruleId();
            scopes[i] = k.scope();
            starts[i] = Timestamp.from(k.periodStart());
        }
        for (CapKey k : missing) {
            usage.put(k, CapUsage.NONE);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT u.tenant, u.user_id, u.rule_id, u.scope, u.period_start,"
                + " u.points, u.count FROM " + s + ".cap_usage u JOIN unnest(?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::timestamptz[]) AS k(tenant, user_id, rule_id, scope, period_start) USING (tenant, user_id, rule_id,"
                + " scope, period_start)")) {
            ps.setArray(1, c.createArrayOf("text", tenants));
            ps.setArray(2, c.createArrayOf("text", users));
            ps.setArray(3, c.createArrayOf("text", rules));
            ps.setArray(4, c.createArrayOf("text", scopes));
            ps.setArray(5, c.createArrayOf("timestamptz", starts));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    usage.put(new CapKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()), new CapUsage(rs.getLong(6), rs.getLong(7)));
                }
            }
        }
    }

    @Override
    public CapUsage usage(CapKey key) {
        CapUsage u = usage.get(key);
        if (u == null) {
            try {
                preload(List.of(key));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            u = usage.get(key);
        }
        return u;
    }

    @Override
    public void addUsage(CapKey key, long points, long count) {
        usage.put(key, usage(key).plus(points, count));
        dirtyUsage.add(key);
    }

    @Override
    public List<PointsEntry> awardsToReverse(EventAccepted remove) {
        List<PointsEntry> found = findAwardsToReverse(remove);
        for (PointsEntry a : found) {
            removedEvents.add(remove.tenant() + "/" + a.eventId());
        }
        return found;
    }

    private List<PointsEntry> findAwardsToReverse(EventAccepted remove) {
        List<PointsEntry> inBatch = new ArrayList<>();
        String eventId = null;
        for (int i = batchAwards.size() - 1; i >= 0; i--) {
            Award a = batchAwards.get(i);
            if (matches(a.source(), remove) && !reversedInBatch.contains(a.entry().entryId())
                    && (eventId == null || eventId.equals(a.source().eventId()))) {
                eventId = a.source().eventId();
                inBatch.add(0, a.entry());
            }
        }
        try {
            if (!inBatch.isEmpty()) {
                // a recalculation may have adjusted this create since (its entries are in the tables)
                for (PointsEntry a : adjustmentsOf(remove.tenant(), eventId)) {
                    if (inBatch.stream().noneMatch(b -> b.entryId().equals(a.entryId()))) {
                        inBatch.add(a);
                    }
                }
                return inBatch;
            }
            return awardsInTables(remove);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String ENTRY_COLUMNS = "entry_id, event_id, rule_id, rule_version, points, currency, occurred_at,"
            + " recorded_at, description, groups, kind, event_type";

    /** A recalculation's adjustments of {@code eventId} that no revocation reverses yet. */
    private List<PointsEntry> adjustmentsOf(String tenant, String eventId) throws SQLException {
        List<PointsEntry> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTRY_COLUMNS + ", user_id FROM " + s + ".ledger l"
                + " WHERE event_id = ? AND tenant = ? AND kind = 'adjusted' AND recalculation IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM " + s + ".ledger r WHERE r.reverses = l.entry_id) ORDER BY entry_id")) {
            ps.setString(1, eventId);
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!reversedInBatch.contains(rs.getString(1))) {
                        found.add(entry(rs, tenant, rs.getString(13)));
                    }
                }
            }
        }
        return found;
    }

    private static PointsEntry entry(ResultSet rs, String tenant, String userId) throws SQLException {
        Array groups = rs.getArray(10);
        return new PointsEntry(rs.getString(1), tenant, userId, rs.getString(2), rs.getString(3),
                (Integer) rs.getObject(4), rs.getLong(5), rs.getString(6), PointsEntryKind.fromWire(rs.getString(11)),
                rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(), rs.getString(9),
                groups == null ? List.of() : List.of((String[]) groups.getArray()), null, rs.getString(12), null);
    }

    private static boolean matches(EventAccepted create, EventAccepted remove) {
        return create.tenant().equals(remove.tenant()) && create.userId().equals(remove.userId())
                && create.eventType().equals(remove.eventType())
                && (remove.idempotenceKey() == null || remove.idempotenceKey().equals(create.idempotenceKey()));
    }

    /**
     * The unreversed awards of the create {@code remove} undoes, with a recalculation's adjustments of it: by
     * idempotence key (an award or, for a create the rules gave nothing at first, an adjustment), or without a
     * key the latest create that has an award.
     */
    private List<PointsEntry> awardsInTables(EventAccepted remove) throws SQLException {
        boolean keyed = remove.idempotenceKey() != null;
        String sql = "SELECT " + ENTRY_COLUMNS + " FROM " + s + ".ledger l WHERE tenant = ? AND user_id = ? AND event_type = ?"
                + (keyed ? " AND (kind = 'awarded' OR (kind = 'adjusted' AND recalculation IS NOT NULL)) AND source_key = ?"
                : " AND kind = 'awarded'")
                + " AND NOT EXISTS (SELECT 1 FROM " + s + ".ledger r WHERE r.reverses = l.entry_id)"
                + " ORDER BY recorded_at DESC, event_id DESC, entry_id LIMIT 1000";
        List<PointsEntry> found = new ArrayList<>();
        String eventId = null;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, remove.tenant());
            ps.setString(2, remove.userId());
            ps.setString(3, remove.eventType());
            if (keyed) {
                ps.setString(4, remove.idempotenceKey());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String entryId = rs.getString(1);
                    String event = rs.getString(2);
                    if (reversedInBatch.contains(entryId)) {
                        continue;
                    }
                    if (eventId == null) {
                        eventId = event;
                    } else if (!eventId.equals(event)) {
                        break;
                    }
                    found.add(entry(rs, remove.tenant(), remove.userId()));
                }
            }
        }
        if (eventId != null && !keyed) {
            for (PointsEntry a : adjustmentsOf(remove.tenant(), eventId)) {
                if (found.stream().noneMatch(b -> b.entryId().equals(a.entryId()))) {
                    found.add(a);
                }
            }
        }
        found.sort(java.util.Comparator.comparing(PointsEntry::kind).thenComparing(PointsEntry::ruleId,
                java.util.Comparator.nullsFirst(String::compareTo)).thenComparing(PointsEntry::entryId));
        return found;
    }

    @Override
    public void recorded(EventAccepted source, List<PointsEntry> entries) {
        for (PointsEntry e : entries) {
            if (e.kind() == PointsEntryKind.AWARDED && source.eventAction() == EventAction.CREATE) {
                batchAwards.add(new Award(source, e));
            } else if (e.kind() == PointsEntryKind.ADJUSTED && e.recalculation() != null) {
                // a recalculation's adjustment of an earlier create: a remove later in the batch revokes it too
                JsonNode data = source.eventData();
                String key = data != null && data.path("idempotence_key").isTextual()
                        ? data.path("idempotence_key").asText() : null;
                batchAwards.add(new Award(new EventAccepted(e.eventId(), e.tenant(), e.eventType(), 1, e.userId(), null,
                        EventAction.CREATE, key, e.occurredAt(), e.recordedAt(), e.groups()), e));
            } else if (e.kind() == PointsEntryKind.REVOKED && e.reverses() != null) {
                reversedInBatch.add(e.reverses());
            }
        }
    }

    /** Which of {@code eventIds} (creates a recalculation adjusts) have awards revoked, read in one query. */
    void preloadRemoved(java.util.Collection<String> eventIds) throws SQLException {
        if (eventIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT a.tenant, a.event_id FROM " + s + ".ledger a JOIN "
                + s + ".ledger r ON r.reverses = a.entry_id WHERE a.event_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    removedEvents.add(rs.getString(1) + "/" + rs.getString(2));
                }
            }
        }
    }

    @Override
    public boolean removed(String tenant, String eventId) {
        return removedEvents.contains(tenant + "/" + eventId);
    }

    @Override
    public ScoreEvent scoreEvent(String tenant, String scoreEventId) {
        String key = tenant + "/" + scoreEventId;
        if (scoreEvents.containsKey(key)) {
            return scoreEvents.get(key);
        }
        ScoreEvent found = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT user_id, date, points, description, occurred_at, created_at,"
                + " updated_at FROM " + s + ".score_events WHERE tenant = ? AND id = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, scoreEventId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    found = new ScoreEvent(tenant, scoreEventId, rs.getString(1), rs.getDate(2).toLocalDate(),
                            rs.getLong(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                            rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        scoreEvents.put(key, found);
        return found;
    }

    @Override
    public void scoreEventChanged(ScoreEvent e) {
        String key = e.tenant() + "/" + e.id();
        scoreEvents.put(key, e);
        dirtyScoreEvents.put(key, e);
    }

    /** Writes the counters and score events this batch changed. */
    void flush() throws SQLException {
        if (!dirtyUsage.isEmpty()) {
            int n = dirtyUsage.size();
            String[] tenants = new String[n], users = new String[n], rules = new String[n], scopes = new String[n];
            Timestamp[] starts = new Timestamp[n];
            Long[] points = new Long[n], counts = new Long[n];
            int i = 0;
            for (CapKey k : dirtyUsage) {
                CapUsage u = usage.get(k);
                tenants[i] = k.tenant();
                users[i] = k.userId();
                rules[i] = k.ruleId();
                scopes[i] = k.scope();
                starts[i] = Timestamp.from(k.periodStart());
                points[i] = u.points();
                counts[i] = u.count();
                i++;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".cap_usage (tenant, user_id, rule_id, scope,"
                    + " period_start, points, count) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
                    + " ?::timestamptz[], ?::bigint[], ?::bigint[]) ON CONFLICT (tenant, user_id, rule_id, scope, period_start)"
                    + " DO UPDATE SET points = EXCLUDED.points, count = EXCLUDED.count")) {
                ps.setArray(1, c.createArrayOf("text", tenants));
                ps.setArray(2, c.createArrayOf("text", users));
                ps.setArray(3, c.createArrayOf("text", rules));
                ps.setArray(4, c.createArrayOf("text", scopes));
                ps.setArray(5, c.createArrayOf("timestamptz", starts));
                ps.setArray(6, c.createArrayOf("int8", points));
                ps.setArray(7, c.createArrayOf("int8", counts));
                ps.executeUpdate();
            }
        }
        if (!dirtyScoreEvents.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + ".score_events (tenant, id, user_id, date,"
                    + " points, description, occurred_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tenant, id) DO UPDATE SET points = EXCLUDED.points, description = EXCLUDED.description,"
                    + " updated_at = EXCLUDED.updated_at")) {
                for (ScoreEvent e : dirtyScoreEvents.values()) {
                    ps.setString(1, e.tenant());
                    ps.setString(2, e.id());
                    ps.setString(3, e.userId());
                    ps.setDate(4, Date.valueOf(e.date()));
                    ps.setLong(5, e.points());
                    ps.setString(6, e.description());
                    ps.setTimestamp(7, Timestamp.from(e.occurredAt()));
                    ps.setTimestamp(8, Timestamp.from(e.createdAt()));
                    ps.setTimestamp(9, Timestamp.from(e.updatedAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
