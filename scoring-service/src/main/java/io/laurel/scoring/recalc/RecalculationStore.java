package io.laurel.scoring.recalc;

import io.laurel.runtime.db.SharedSchema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.projection.CopyRows;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Recalculations as the scoring service keeps them (schema {@code laurel_recalc}, beside the projection's
 * generations, so every instance sees them): one row each, the per-user changes of its dry run, and the
 * per-event adjustments that {@code apply} posts, in order, with how far it got.
 */
public final class RecalculationStore {
    static final String SCHEMA = "laurel_recalc";
    /** The statuses in which a tenant may not start another one. */
    static final List<String> OPEN = List.of("running", "ready", "applying");

    private final DataSource dataSource;

    public RecalculationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    public void initialize() throws SQLException {
        SharedSchema.create(dataSource, SCHEMA, st -> {
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".recalculations (id uuid PRIMARY KEY,"
                    + " tenant text NOT NULL, status text NOT NULL, from_at timestamptz, to_at timestamptz,"
                    + " event_types text[], user_ids text[], created_at timestamptz NOT NULL,"
                    + " finished_at timestamptz, applied_at timestamptz, records_total bigint NOT NULL DEFAULT 0,"
                    + " records_read bigint NOT NULL DEFAULT 0, events_scanned bigint NOT NULL DEFAULT 0,"
                    + " users_changed bigint NOT NULL DEFAULT 0, entries_changed bigint NOT NULL DEFAULT 0,"
                    + " events_changed bigint NOT NULL DEFAULT 0, entries_applied bigint NOT NULL DEFAULT 0,"
                    + " totals text, rules text, error text)");
            // one open recalculation per tenant, whichever instance is asked
            st.execute("CREATE UNIQUE INDEX IF NOT EXISTS recalculations_one_open ON " + SCHEMA
                    + ".recalculations (tenant) WHERE status IN ('running', 'ready', 'applying')");
            // which instance runs a dry run or an apply, and when it last said so (several instances)
            st.execute("ALTER TABLE " + SCHEMA + ".recalculations ADD COLUMN IF NOT EXISTS owner text,"
                    + " ADD COLUMN IF NOT EXISTS heartbeat timestamptz");
            st.execute("CREATE INDEX IF NOT EXISTS recalculations_by_tenant ON " + SCHEMA
                    + ".recalculations (tenant, created_at DESC)");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".changes (recalculation uuid NOT NULL,"
                    + " user_id text NOT NULL, currency text NOT NULL, before bigint NOT NULL, after bigint NOT NULL,"
                    + " delta bigint NOT NULL, PRIMARY KEY (recalculation, user_id, currency))");
            st.execute("CREATE INDEX IF NOT EXISTS changes_by_size ON " + SCHEMA
                    + ".changes (recalculation, abs(delta) DESC, user_id, currency)");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".adjustments (recalculation uuid NOT NULL,"
                    + " seq bigint NOT NULL, event_id text NOT NULL, user_id text NOT NULL, event_type text NOT NULL,"
                    + " occurred_at timestamptz NOT NULL, data text NOT NULL, PRIMARY KEY (recalculation, seq))");
        });
    }

    /** A recalculation as stored. */
    public record Row(UUID id, String tenant, String status, Instant from, Instant to, List<String> eventTypes,
                      List<String> userIds, Instant createdAt, Instant finishedAt, Instant appliedAt, long recordsTotal,
                      long recordsRead, long eventsScanned, long usersChanged, long entriesChanged, long eventsChanged,
                      long entriesApplied, String totals, String rules, String error) {
    }

    /** Inserts a running recalculation; false when the tenant already has an open one. */
    /** How long a running dry run or apply may go without its owner's heartbeat before another instance takes it. */
    static final java.time.Duration OWNER_TIMEOUT = java.time.Duration.ofSeconds(15);
    private static final String WORKING = "status IN ('running', 'applying')";

    boolean insert(UUID id, String tenant, Recalculator.Window w, Instant now, String rules, String owner)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".recalculations (id, tenant, status,"
                     + " from_at, to_at, event_types, user_ids, created_at, rules, owner, heartbeat) VALUES (?, ?, 'running',"
                     + " ?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT DO NOTHING")) {
            ps.setString(9, owner);
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setTimestamp(3, w.from() == null ? null : Timestamp.from(w.from()));
            ps.setTimestamp(4, w.to() == null ? null : Timestamp.from(w.to()));
            ps.setArray(5, w.eventTypes() == null ? null : c.createArrayOf("text", w.eventTypes().toArray()));
            ps.setArray(6, w.userIds() == null ? null : c.createArrayOf("text", w.userIds().toArray()));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setString(8, rules);
            return ps.executeUpdate() == 1;
        }
    }

    /** Moves a ready recalculation to applying, run by {@code owner}; false when it is not ready (any more). */
    boolean startApplying(UUID id, String owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".recalculations SET status = 'applying',"
                     + " owner = ?, heartbeat = now() WHERE id = ? AND status = 'ready'")) {
            ps.setString(1, owner);
            ps.setObject(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Takes over the dry runs and applies under way whose owner is gone (no heartbeat for {@link #OWNER_TIMEOUT}),
     * or, with {@code restarted}, that this very owner left when it stopped; returns them, now {@code owner}'s.
     */
    List<Row> takeOver(String owner, boolean restarted) throws SQLException {
        List<UUID> ids = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".recalculations SET owner = ?, heartbeat = now()"
                     + " WHERE " + WORKING + " AND (owner IS NULL OR heartbeat IS NULL OR heartbeat < now() -"
                     + " make_interval(secs => ?)" + (restarted ? " OR owner = ?" : "") + ") RETURNING id")) {
            ps.setString(1, owner);
            ps.setDouble(2, OWNER_TIMEOUT.toMillis() / 1000.0);
            if (restarted) {
                ps.setString(3, owner);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<Row> rows = new java.util.ArrayList<>();
        for (UUID id : ids) {
            find(null, id).ifPresent(rows::add);
        }
        return rows;
    }

    /** The owner's heartbeat for every dry run and apply it runs. */
    void beat(String owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".recalculations SET heartbeat = now()"
                     + " WHERE owner = ? AND " + WORKING)) {
            ps.setString(1, owner);
            ps.executeUpdate();
        }
    }

    Optional<Row> find(String tenant, UUID id) throws SQLException {
        List<Row> rows = query("WHERE id = ?" + (tenant == null ? "" : " AND tenant = ?"), ps -> {
            ps.setObject(1, id);
            if (tenant != null) {
                ps.setString(2, tenant);
            }
        });
        return rows.stream().findFirst();
    }

    List<Row> list(String tenant, int limit) throws SQLException {
        return query("WHERE tenant = ? ORDER BY created_at DESC LIMIT ?", ps -> {
            ps.setString(1, tenant);
            ps.setInt(2, limit);
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Row> query(String where, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, tenant, status, from_at, to_at, event_types, user_ids,"
                     + " created_at, finished_at, applied_at, records_total, records_read, events_scanned, users_changed,"
                     + " entries_changed, events_changed, entries_applied, totals, rules, error FROM " + SCHEMA
                     + ".recalculations " + where)) {
            binder.bind(ps);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), instant(rs, 4),
                            instant(rs, 5), strings(rs.getArray(6)), strings(rs.getArray(7)), instant(rs, 8),
                            instant(rs, 9), instant(rs, 10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
                            rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getString(18),
                            rs.getString(19), rs.getString(20)));
                }
            }
            return rows;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? null : List.of((String[]) a.getArray());
    }

    /** Progress of a running dry run. */
    void progress(UUID id, long recordsTotal, long recordsRead, long eventsScanned) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".recalculations SET records_total = ?,"
                     + " records_read = ?, events_scanned = ? WHERE id = ? AND status = 'running'")) {
            ps.setLong(1, recordsTotal);
            ps.setLong(2, recordsRead);
            ps.setLong(3, eventsScanned);
            ps.setObject(4, id);
            ps.executeUpdate();
        }
    }

    /** Moves {@code id} from {@code from} to {@code to}; false when it was not in {@code from}. */
    boolean transition(UUID id, String from, String to, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".recalculations SET status = ?,"
                     + " error = coalesce(?, error), finished_at = CASE WHEN ? IN ('failed', 'cancelled') THEN"
                     + " coalesce(finished_at, now()) ELSE finished_at END,"
                     + " applied_at = CASE WHEN ? = 'applied' THEN now() ELSE applied_at END"
                     + " WHERE id = ? AND status = ?")) {
            ps.setString(1, to);
            ps.setString(2, error);
            ps.setString(3, to);
            ps.setString(4, to);
            ps.setObject(5, id);
            ps.setString(6, from);
            return ps.executeUpdate() == 1;
        }
    }

    /** Discards what a dry run found (a cancelled or failed one keeps only its row). */
    void discardResults(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            deleteResults(c, id);
        }
    }

    private static void deleteResults(Connection c, UUID id) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM " + SCHEMA + ".changes WHERE recalculation = '" + id + "'");
            st.execute("DELETE FROM " + SCHEMA + ".adjustments WHERE recalculation = '" + id + "'");
        }
    }

    /**
     * Stores a dry run's result and makes it {@code ready}, in one transaction: the per-user changes, the
     * per-event adjustments (COPY: a dry run may find millions) and the totals.
     */
    boolean ready(UUID id, long recordsTotal, long eventsScanned, List<Recalculator.EventChange> changes,
                  List<UserChange> users, String totals, long entriesChanged) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                deleteResults(c, id);
                CopyRows.copy(c, "COPY " + SCHEMA + ".changes (recalculation, user_id, currency, before, after, delta)"
                        + " FROM STDIN WITH (FORMAT csv)", users, (b, u) -> {
                    b.append(id).append(',');
                    CopyRows.text(b, u.userId()).append(',');
                    CopyRows.text(b, u.currency()).append(',').append(u.before()).append(',').append(u.after()).append(',')
                            .append(u.after() - u.before()).append('\n');
                });
                long[] seq = {0};
                CopyRows.copy(c, "COPY " + SCHEMA + ".adjustments (recalculation, seq, event_id, user_id, event_type, occurred_at,"
                        + " data) FROM STDIN WITH (FORMAT csv)", changes, (b, e) -> {
                    b.append(id).append(',').append(++seq[0]).append(',');
                    CopyRows.text(b, e.eventId()).append(',');
                    CopyRows.text(b, e.userId()).append(',');
                    CopyRows.text(b, e.eventType()).append(',').append(e.occurredAt()).append(',');
                    CopyRows.text(b, data(e)).append('\n');
                });
                boolean done;
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".recalculations SET status = 'ready',"
                        + " records_total = ?, records_read = ?, events_scanned = ?, users_changed = ?,"
                        + " entries_changed = ?, events_changed = ?, totals = ?, finished_at = now()"
                        + " WHERE id = ? AND status = 'running'")) {
                    ps.setLong(1, recordsTotal);
                    ps.setLong(2, recordsTotal);
                    ps.setLong(3, eventsScanned);
                    ps.setLong(4, users.stream().map(UserChange::userId).distinct().count());
                    ps.setLong(5, entriesChanged);
                    ps.setLong(6, changes.size());
                    ps.setString(7, totals);
                    ps.setObject(8, id);
                    done = ps.executeUpdate() == 1;
                }
                if (done) {
                    c.commit();
                } else {
                    c.rollback(); // cancelled meanwhile
                }
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** One user's change in one currency: earned before and after the adjustments. */
    public record UserChange(String userId, String currency, long before, long after) {
    }

    /** The adjustment as {@code points.recalculated} carries it (besides the recalculation id). */
    static String data(Recalculator.EventChange e) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("event_id", e.eventId());
        data.put("event_type", e.eventType());
        if (e.idempotenceKey() != null) {
            data.put("idempotence_key", e.idempotenceKey());
        }
        ArrayNode groups = data.putArray("groups");
        e.groups().forEach(groups::add);
        ArrayNode items = data.putArray("adjustments");
        for (Recalculator.Item i : e.items()) {
            ObjectNode item = items.addObject();
            item.put("currency", i.currency());
            if (i.ruleId() != null) {
                item.put("rule_id", i.ruleId());
            }
            if (i.ruleVersion() != null) {
                item.put("rule_version", i.ruleVersion());
            }
            item.put("points", i.delta());
            item.put("count", i.count());
            item.put("before", i.before());
            item.put("after", i.after());
        }
        return data.toString();
    }

    /** One stored adjustment. */
    record Adjustment(long seq, String eventId, String userId, String eventType, Instant occurredAt, JsonNode data) {
    }

    List<Adjustment> adjustments(UUID id, long afterSeq, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, user_id, event_type, occurred_at, data FROM "
                     + SCHEMA + ".adjustments WHERE recalculation = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setObject(1, id);
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            List<Adjustment> out = new ArrayList<>(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Adjustment(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), LaurelJson.mapper().readTree(rs.getString(6))));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("unreadable adjustment of recalculation " + id, e);
            }
            return out;
        }
    }

    void applied(UUID id, long seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".recalculations SET entries_applied = ?"
                     + " WHERE id = ? AND entries_applied < ?")) {
            ps.setLong(1, seq);
            ps.setObject(2, id);
            ps.setLong(3, seq);
            ps.executeUpdate();
        }
    }

    /** The sort orders of the change list. */
    enum Sort {
        ABS_DELTA("abs(delta)", true), DELTA("delta", true), BEFORE("before", true), AFTER("after", true),
        USER_ID("user_id", false), CURRENCY("currency", false);

        final String column;
        final boolean descendingByDefault;

        Sort(String column, boolean descendingByDefault) {
            this.column = column;
            this.descendingByDefault = descendingByDefault;
        }
    }

    /** A page of changes (limit null: all of them). */
    List<UserChange> changes(UUID id, Sort sort, boolean descending, int offset, Integer limit) throws SQLException {
        String dir = descending ? " DESC" : " ASC";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id, currency, before, after FROM " + SCHEMA
                     + ".changes WHERE recalculation = ? ORDER BY " + sort.column + dir + ", user_id, currency"
                     + " OFFSET ?" + (limit == null ? "" : " LIMIT ?"))) {
            c.setAutoCommit(false);
            ps.setFetchSize(5000);
            ps.setObject(1, id);
            ps.setInt(2, offset);
            if (limit != null) {
                ps.setInt(3, limit);
            }
            List<UserChange> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UserChange(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            c.commit();
            return out;
        }
    }

    long countChanges(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + SCHEMA + ".changes WHERE recalculation = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String totalsJson(Map<String, long[]> totals) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        totals.forEach((currency, t) -> a.addObject().put("currency", currency).put("points_gained", t[0])
                .put("points_lost", t[1]).put("net", t[0] - t[1]));
        return a.toString();
    }
}
