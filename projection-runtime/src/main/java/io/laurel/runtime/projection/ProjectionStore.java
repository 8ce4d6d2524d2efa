package io.laurel.runtime.projection;

import io.laurel.runtime.db.SharedSchema;
import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The runtime's own tables (schema {@code laurel_runtime}): which generation of each projection is
 * live, the consumed offsets of every generation, and the history of rebuilds.
 */
public final class ProjectionStore {
    static final String SCHEMA = "laurel_runtime";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final DataSource dataSource;

    public ProjectionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("projection name must match " + NAME + ": " + name);
        }
        return name;
    }

    public static String schemaOf(String projection, int generation) {
        return "p_" + checkName(projection) + "_g" + generation;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Creates the runtime tables; safe to call concurrently from several services sharing one database. */
    public void initialize() throws SQLException {
        SharedSchema.create(dataSource, SCHEMA, st -> {
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".projections ("
                    + " name text PRIMARY KEY, live_generation int NOT NULL,"
                    + " updated_at timestamptz NOT NULL DEFAULT now())");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".projection_offsets ("
                    + " name text NOT NULL, generation int NOT NULL, topic text NOT NULL,"
                    + " partition_no int NOT NULL, next_offset bigint NOT NULL,"
                    + " PRIMARY KEY (name, generation, topic, partition_no))");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".rebuilds ("
                    + " id uuid PRIMARY KEY, name text NOT NULL, generation int NOT NULL,"
                    + " status text NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz,"
                    + " records bigint NOT NULL DEFAULT 0, error text)");
            // one rebuild for the whole group of instances: who runs it, its progress, and what was asked of it
            st.execute("ALTER TABLE " + SCHEMA + ".rebuilds ADD COLUMN IF NOT EXISTS owner text,"
                    + " ADD COLUMN IF NOT EXISTS heartbeat timestamptz,"
                    + " ADD COLUMN IF NOT EXISTS switch_requested boolean NOT NULL DEFAULT false,"
                    + " ADD COLUMN IF NOT EXISTS cancel_requested boolean NOT NULL DEFAULT false,"
                    + " ADD COLUMN IF NOT EXISTS records_total bigint, ADD COLUMN IF NOT EXISTS progress double precision,"
                    + " ADD COLUMN IF NOT EXISTS records_per_second double precision,"
                    + " ADD COLUMN IF NOT EXISTS eta_seconds bigint,"
                    + " ADD COLUMN IF NOT EXISTS auto_switch boolean NOT NULL DEFAULT true");
            // every instance's projection status, for the platform-wide GET /v1/ops/projections (StatusReports)
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".projection_reports ("
                    + " owner text NOT NULL, name text NOT NULL, service text NOT NULL, report jsonb NOT NULL,"
                    + " reported_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, name))");
        });
    }

    /**
     * The live generation of {@code projection}; on first use, generation 1 is created with its tables.
     */
    public int ensureLive(Projection projection) throws SQLException {
        String name = checkName(projection.name());
        // a restart runs this on the live generation's tables while other instances fold into them: table locks are
        // waited for briefly and the whole is tried again (SharedSchema), never left to deadlock a start
        return SharedSchema.inTransaction(dataSource, "SELECT pg_advisory_xact_lock(7301002)", c -> {
            Optional<Integer> live = liveGeneration(c, name);
            int generation = live.orElse(1);
            String schema = schemaOf(name, generation);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            }
            projection.createTables(c, schema);
            projection.createIndexes(c, schema);
            if (live.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO " + SCHEMA + ".projections(name, live_generation) VALUES (?, ?)")) {
                    ps.setString(1, name);
                    ps.setInt(2, generation);
                    ps.executeUpdate();
                }
            }
            return generation;
        });
    }

    public Optional<Integer> liveGeneration(String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return liveGeneration(c, name);
        }
    }

    private static Optional<Integer> liveGeneration(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT live_generation FROM " + SCHEMA + ".projections WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    /** Highest generation that has a schema or offsets: a new rebuild takes the next number. */
    public int nextGeneration(String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return nextGeneration(c, name);
        }
    }

    private static int nextGeneration(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT greatest("
                     + " (SELECT coalesce(max(live_generation), 0) FROM " + SCHEMA + ".projections WHERE name = ?),"
                     + " (SELECT coalesce(max(generation), 0) FROM " + SCHEMA + ".projection_offsets WHERE name = ?),"
                     + " (SELECT coalesce(max(generation), 0) FROM " + SCHEMA + ".rebuilds WHERE name = ?)) + 1")) {
            ps.setString(1, name);
            ps.setString(2, name);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Builds the readers' indexes of a generation that has caught up (see {@link Projection#createIndexes}). */
    public void createIndexes(Projection projection, int generation) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            projection.createIndexes(c, schemaOf(projection.name(), generation));
            c.commit();
        }
    }

    /** Creates a fresh, empty schema for a generation (dropping any leftover of an interrupted rebuild). */
    public void createGeneration(Projection projection, int generation) throws SQLException {
        String schema = schemaOf(projection.name(), generation);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                st.execute("CREATE SCHEMA " + schema);
            }
            deleteOffsets(c, projection.name(), generation);
            projection.createTables(c, schema);
            c.commit();
        }
    }

    /**
     * Makes {@code generation} live, as the owner of rebuild {@code rebuildId}: in one transaction with a check that
     * the rebuild's row is still {@code owner}'s (one taken over meanwhile is refused).
     */
    public void switchLive(String name, int generation, int old, UUID rebuildId, String owner) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + SCHEMA + ".rebuilds WHERE id = ? AND owner = ?"
                    + " FOR UPDATE")) {
                ps.setObject(1, rebuildId);
                ps.setString(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        throw new SQLException("rebuild " + rebuildId + " is no longer this instance's: not switched");
                    }
                }
            }
            switchLive(c, name, generation, old);
            c.commit();
        }
    }

    /** Makes {@code generation} live, in one transaction. */
    public void switchLive(String name, int generation, int old) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            switchLive(c, name, generation, old);
            c.commit();
        }
    }

    private static void switchLive(Connection c, String name, int generation, int old) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA
                + ".projections SET live_generation = ?, updated_at = now() WHERE name = ? AND live_generation = ?")) {
            ps.setInt(1, generation);
            ps.setString(2, name);
            ps.setInt(3, old);
            if (ps.executeUpdate() != 1) {
                c.rollback();
                throw new SQLException("projection " + name + " is no longer at generation " + old);
            }
        }
    }

    public void dropGeneration(String name, int generation) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            dropGeneration(c, name, generation);
            c.commit();
        }
    }

    private static void dropGeneration(Connection c, String name, int generation) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schemaOf(name, generation) + " CASCADE");
        }
        deleteOffsets(c, name, generation);
    }

    private static void deleteOffsets(Connection c, String name, int generation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM " + SCHEMA + ".projection_offsets WHERE name = ? AND generation = ?")) {
            ps.setString(1, name);
            ps.setInt(2, generation);
            ps.executeUpdate();
        }
    }

    public Map<TopicPartition, Long> offsets(String name, int generation) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return offsets(c, name, generation);
        }
    }

    static Map<TopicPartition, Long> offsets(Connection c, String name, int generation) throws SQLException {
        Map<TopicPartition, Long> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT topic, partition_no, next_offset FROM " + SCHEMA
                + ".projection_offsets WHERE name = ? AND generation = ?")) {
            ps.setString(1, name);
            ps.setInt(2, generation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        return result;
    }

    /** Stores the next offsets to consume, in the caller's transaction. */
    static void saveOffsets(Connection c, String name, int generation, Map<TopicPartition, Long> next)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA
                + ".projection_offsets(name, generation, topic, partition_no, next_offset) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (name, generation, topic, partition_no) DO UPDATE SET next_offset = EXCLUDED.next_offset")) {
            for (var e : next.entrySet()) {
                ps.setString(1, name);
                ps.setInt(2, generation);
                ps.setString(3, e.getKey().topic());
                ps.setInt(4, e.getKey().partition());
                ps.setLong(5, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void recordRebuild(UUID id, String name, int generation, String status, Instant startedAt,
                              Instant finishedAt, long records, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA
                     + ".rebuilds(id, name, generation, status, started_at, finished_at, records, error)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status,"
                     + " finished_at = EXCLUDED.finished_at, records = EXCLUDED.records, error = EXCLUDED.error")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setInt(3, generation);
            ps.setString(4, status);
            ps.setTimestamp(5, Timestamp.from(startedAt));
            ps.setTimestamp(6, finishedAt == null ? null : Timestamp.from(finishedAt));
            ps.setLong(7, records);
            ps.setString(8, error);
            ps.executeUpdate();
        }
    }

    /** How long a rebuild's owner may go without a heartbeat before other instances count it as gone. */
    static final Duration OWNER_TIMEOUT = Duration.ofSeconds(15);
    private static final String ACTIVE = "status IN ('running', 'ready', 'switching')";

    /**
     * Claims the next generation of {@code name} for a rebuild run by {@code owner}, unless a rebuild of it is
     * under way on any instance (one whose owner has beaten within {@link #OWNER_TIMEOUT}).
     *
     * @return the generation to fill
     * @throws IllegalStateException naming the rebuild under way
     */
    public int claimRebuild(UUID id, String name, String owner, Instant startedAt) throws SQLException {
        return claimRebuild(id, name, owner, startedAt, true);
    }

    /** As {@link #claimRebuild(UUID, String, String, Instant)}, remembering how the rebuild switches. */
    public int claimRebuild(UUID id, String name, String owner, Instant startedAt, boolean autoSwitch)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(7301002, hashtext(?))")) {
                    ps.setString(1, name);
                    ps.execute();
                }
                // any rebuild under way blocks another, one whose owner went silent too: it is taken over (within
                // the owner timeout and 5 s), never run beside a second one
                try (PreparedStatement ps = c.prepareStatement("SELECT id, owner, heartbeat IS NULL OR heartbeat < now()"
                        + " - make_interval(secs => ?) FROM " + SCHEMA + ".rebuilds WHERE name = ? AND " + ACTIVE)) {
                    ps.setDouble(1, OWNER_TIMEOUT.toMillis() / 1000.0);
                    ps.setString(2, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            throw new IllegalStateException("projection " + name + " is already being rebuilt by "
                                    + rs.getObject(1, UUID.class) + " (on instance " + rs.getString(2) + ")"
                                    + (rs.getBoolean(3) ? "; that instance went silent, and another instance of the"
                                    + " service takes the rebuild over within seconds" : ""));
                        }
                    }
                }
                int generation = nextGeneration(c, name);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".rebuilds(id, name, generation,"
                        + " status, started_at, records, owner, heartbeat, auto_switch)"
                        + " VALUES (?, ?, ?, 'running', ?, 0, ?, now(), ?)")) {
                    ps.setObject(1, id);
                    ps.setString(2, name);
                    ps.setInt(3, generation);
                    ps.setTimestamp(4, Timestamp.from(startedAt));
                    ps.setString(5, owner);
                    ps.setBoolean(6, autoSwitch);
                    ps.executeUpdate();
                }
                c.commit();
                return generation;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** What was asked of a rebuild through any instance. */
    public record Requests(boolean switchRequested, boolean cancelRequested) {
    }

    /** The owner's heartbeat, with its progress; answers what was asked of it since (empty: not its row any more). */
    public Optional<Requests> beat(UUID id, String owner, String status, long records, Long recordsTotal, Double progress,
                                   Double perSecond, Long etaSeconds) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".rebuilds SET heartbeat = now(), status = ?,"
                     + " records = ?, records_total = ?, progress = ?, records_per_second = ?, eta_seconds = ?"
                     + " WHERE id = ? AND owner = ? AND " + ACTIVE + " RETURNING switch_requested, cancel_requested")) {
            ps.setString(1, status);
            ps.setLong(2, records);
            ps.setObject(3, recordsTotal);
            ps.setObject(4, progress);
            ps.setObject(5, perSecond);
            ps.setObject(6, etaSeconds);
            ps.setObject(7, id);
            ps.setString(8, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Requests(rs.getBoolean(1), rs.getBoolean(2))) : Optional.empty();
            }
        }
    }

    /** Leaves a rebuild under way to whichever instance takes it over next (its owner shuts down cleanly). */
    public void release(UUID id, String owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".rebuilds SET heartbeat = NULL"
                     + " WHERE id = ? AND owner = ? AND " + ACTIVE)) {
            ps.setObject(1, id);
            ps.setString(2, owner);
            ps.executeUpdate();
        }
    }

    /** Asks the owner of a rebuild under way to switch ({@code cancel} false) or cancel it; false: none such. */
    public boolean request(UUID id, boolean cancel) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".rebuilds SET "
                     + (cancel ? "cancel_requested" : "switch_requested") + " = true WHERE id = ? AND " + ACTIVE)) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** The rebuild of {@code name} under way on any instance, if any. */
    public Optional<RebuildView> activeRebuild(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM " + SCHEMA + ".rebuilds WHERE name = ? AND " + ACTIVE
                     + " ORDER BY started_at DESC LIMIT 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return findRebuild(rs.getObject(1, UUID.class));
            }
        }
    }

    /** The generation a rebuild of {@code name} is switching to right now, its owner alive (a fresh heartbeat). */
    public Optional<Integer> switchingTo(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT generation FROM " + SCHEMA + ".rebuilds WHERE name = ?"
                     + " AND status = 'switching' AND heartbeat > now() - make_interval(secs => ?)")) {
            ps.setString(1, name);
            ps.setDouble(2, OWNER_TIMEOUT.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    /** Rebuilds under way whose owner has not beaten for {@link #OWNER_TIMEOUT}: its instance went away. */
    public List<RebuildRow> abandonedRebuilds() throws SQLException {
        return unfinishedRebuilds(null);
    }

    /**
     * Rebuilds left under way by a process that stopped: those of {@code owner} (this instance, restarted), and
     * those whose owner has not beaten for {@link #OWNER_TIMEOUT}. Their generation is incomplete.
     */
    public List<RebuildRow> unfinishedRebuilds(String owner) throws SQLException {
        List<RebuildRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + ROW + " FROM "
                     + SCHEMA + ".rebuilds WHERE " + ACTIVE + " AND (owner IS NULL OR owner = ? OR heartbeat IS NULL"
                     + " OR heartbeat < now() - make_interval(secs => ?))")) {
            ps.setString(1, owner);
            ps.setDouble(2, OWNER_TIMEOUT.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        return rows;
    }

    private static final String ROW = "id, name, generation, started_at, records, status, auto_switch";

    private static RebuildRow row(ResultSet rs) throws SQLException {
        return new RebuildRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                rs.getTimestamp(4).toInstant(), rs.getLong(5), rs.getString(6), rs.getBoolean(7));
    }

    /**
     * Makes {@code owner} the owner of a rebuild under way whose owner went away (or is {@code owner} itself,
     * restarted): one instance wins, the row's fresh heartbeat keeps the others off. A switch its old owner had
     * begun starts over ({@code running}): the instances pausing the live generation for it go on meanwhile.
     *
     * @return the rebuild as it stood, if this instance now owns it
     */
    public Optional<RebuildRow> takeOver(UUID id, String owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".rebuilds r SET owner = ?, heartbeat = now(),"
                     + " status = CASE WHEN r.status = 'switching' THEN 'running' ELSE r.status END"
                     + " FROM (SELECT status AS before FROM " + SCHEMA + ".rebuilds WHERE id = ?) b"
                     + " WHERE r.id = ? AND r.status IN ('running', 'ready', 'switching')"
                     + " AND (r.owner IS NULL OR r.owner = ? OR r.heartbeat IS NULL"
                     + " OR r.heartbeat < now() - make_interval(secs => ?))"
                     + " RETURNING r.id, r.name, r.generation, r.started_at, r.records, b.before, r.auto_switch")) {
            ps.setString(1, owner);
            ps.setObject(2, id);
            ps.setObject(3, id);
            ps.setString(4, owner);
            ps.setDouble(5, OWNER_TIMEOUT.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Whether the schema of a generation exists (a rebuild taken over may have died before creating it). */
    public boolean generationExists(String name, int generation) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schemaOf(name, generation));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Drops every generation of {@code name} older than {@code live} (what a switch that died left behind). */
    public void dropGenerationsBelow(String name, int live) throws SQLException {
        List<Integer> older = new ArrayList<>();
        String prefix = "p_" + checkName(name) + "_g";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ?)"
                     + " UNION SELECT ? || generation FROM " + SCHEMA + ".projection_offsets WHERE name = ?")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String suffix = rs.getString(1).substring(prefix.length());
                    if (suffix.matches("[0-9]{1,9}") && Integer.parseInt(suffix) < live) {
                        older.add(Integer.parseInt(suffix));
                    }
                }
            }
        }
        for (int g : older) {
            dropGeneration(name, g);
        }
    }

    public Optional<RebuildView> findRebuild(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, generation, status, started_at, finished_at,"
                     + " records, error, records_total, progress, records_per_second, eta_seconds FROM " + SCHEMA
                     + ".rebuilds WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp finished = rs.getTimestamp(6);
                String status = rs.getString(4);
                if (finished == null) {
                    // under way on some instance: the progress its owner last reported
                    return Optional.of(new RebuildView(rs.getObject(1, UUID.class).toString(), rs.getString(2),
                            rs.getInt(3), status, rs.getTimestamp(5).toInstant(), null, rs.getLong(7),
                            rs.getObject(9, Long.class), rs.getObject(10, Double.class), rs.getObject(11, Double.class),
                            rs.getObject(12, Long.class), null));
                }
                return Optional.of(RebuildView.stored(rs.getObject(1, UUID.class).toString(), rs.getString(2),
                        rs.getInt(3), status, rs.getTimestamp(5).toInstant(),
                        finished == null ? null : finished.toInstant(), rs.getLong(7), rs.getString(8)));
            }
        }
    }

    /** A checksum of the generation's tables, row by row: equal read models give equal checksums. */
    public String checksum(Projection projection, int generation) throws SQLException {
        String schema = schemaOf(projection.name(), generation);
        StringBuilder all = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String table : projection.tables()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                        + " FROM " + schema + "." + table + " t")) {
                    rs.next();
                    all.append(table).append(':').append(rs.getLong(1)).append(':').append(rs.getString(2)).append(';');
                }
            }
        }
        return all.toString();
    }

    /** A rebuild under way as stored: {@code status} as it stood before a take-over reset a switch. */
    public record RebuildRow(UUID id, String name, int generation, Instant startedAt, long records, String status,
                             boolean autoSwitch) {
    }
}
