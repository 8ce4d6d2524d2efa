package io.laurel.leaderboard.board;

import io.laurel.leaderboard.ranking.BoardIndex;

import io.laurel.events.catalog.LeaderboardDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory rankings of the live leaderboard generation: one {@link BoardIndex} per board and period,
 * loaded from PostgreSQL when first asked for (the current period of every board is loaded at start and
 * whenever a new generation goes live), then kept up to date from the generation's changes table, which the
 * projection writes in the transaction of each batch (the member's score after it). Every instance follows the
 * whole table, whichever instance folded the partition, so every instance answers the same. At most
 * {@link #MAX_INDEXES} indexes are kept; the least recently read other than current periods go first.
 *
 * <p>A change is a notice that a member's score changed; the score itself is read from {@code scores} when the
 * notice is read, so notices read in any order leave every member at its latest score. Each poll reads the
 * changes of every transaction that has ended since the last one ({@code pg_current_snapshot()}: those below its
 * {@code xmax} that were not running, and those running last time that have ended since), so a transaction that
 * commits after a later one is never skipped and a long one holds back only itself. An index is loaded in one
 * snapshot taken while no changes are being read; the notices read after it follow. Changes older than
 * {@link #RETENTION} are pruned; an instance that fell further behind reloads its rankings.
 */
@Component
public class BoardIndexes {
    static final int MAX_INDEXES = 256;
    /** The table of members' scores after each commit, per generation (created by the projection). */
    static final String CHANGES = "score_changes";
    /** How long changes are kept for instances that fall behind. */
    static final java.time.Duration RETENTION = java.time.Duration.ofMinutes(5);
    static final long POLL_MILLIS = 50;
    private static final Logger log = LoggerFactory.getLogger(BoardIndexes.class);

    /** One period of one board in one generation's schema. */
    record Key(String schema, String tenant, String board, Instant periodStart) {
    }

    /** A member's score after a commit. */
    public record Update(String tenant, String board, Instant periodStart, String member, long score, long reachedAt) {
    }

    private static final class Slot {
        final BoardIndex.Ties ties;
        final CompletableFuture<BoardIndex> index = new CompletableFuture<>();
        List<Update> held = new ArrayList<>(); // while loading; null once loaded
        volatile long lastRead;

        Slot(BoardIndex.Ties ties) {
            this.ties = ties;
        }
    }

    private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final org.springframework.beans.factory.ObjectProvider<ProjectionManager> projections;
    private final CatalogView catalog;
    private final BoardChanges streams;
    private final AtomicLong clock = new AtomicLong();
    /** Per generation schema followed: every change below this transaction id has been read. */
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
    /** Transaction-id horizons seen by this instance (when, xmin), for pruning. */
    private final java.util.ArrayDeque<long[]> horizons = new java.util.ArrayDeque<>();
    private long lastPrune = System.nanoTime();
    private long retentionNanos = RETENTION.toNanos();
    private long pruneEveryNanos = TimeUnit.MINUTES.toNanos(1);
    private final ExecutorService loader = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "leaderboard-index-load");
        t.setDaemon(true);
        return t;
    });
    private ScheduledExecutorService warmer;
    private ScheduledExecutorService follower;

    /** The projection manager runs the projection that feeds these indexes: it is looked up when needed. */
    public BoardIndexes(DataSource dataSource, org.springframework.beans.factory.ObjectProvider<ProjectionManager> projections,
                        CatalogView catalog, BoardChanges streams) {
        this.dataSource = dataSource;
        this.projections = projections;
        this.catalog = catalog;
        this.streams = streams;
    }

    static BoardIndex.Ties ties(LeaderboardDefinition board) {
        return switch (board.tieStrategy()) {
            case LeaderboardDefinition.TIE_DENSE -> BoardIndex.Ties.DENSE;
            case LeaderboardDefinition.TIE_FIRST_TO_REACH -> BoardIndex.Ties.FIRST_TO_REACH;
            default -> BoardIndex.Ties.COMPETITION;
        };
    }

    /** The index of the board's period in {@code schema}; completes once it is loaded. */
    public CompletableFuture<BoardIndex> index(String schema, LeaderboardDefinition board, Instant periodStart) {
        Key key = new Key(schema, board.tenant(), board.id(), periodStart);
        BoardIndex.Ties ties = ties(board);
        Slot known = slots.get(key);
        if (known != null && known.ties == ties && !known.index.isCompletedExceptionally()) {
            known.lastRead = clock.incrementAndGet();
            return known.index;
        }
        Slot[] created = {null};
        Slot slot = slots.compute(key, (k, s) -> {
            if (s != null && s.ties == ties && !s.index.isCompletedExceptionally()) {
                return s;
            }
            created[0] = new Slot(ties);
            return created[0];
        });
        slot.lastRead = clock.incrementAndGet();
        if (created[0] != null) {
            loader.execute(() -> load(key, slot));
        }
        if (slots.size() > MAX_INDEXES) {
            evict(schema);
        }
        return slot.index;
    }

    private final List<java.util.function.BiConsumer<String, List<Update>>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Observes, in this process, the scores of every commit (with its generation's schema) once applied. */
    public void listen(java.util.function.BiConsumer<String, List<Update>> listener) {
        listeners.add(listener);
    }

    /**
     * Where this instance stands in a generation's changes: every transaction below {@code next} has been read,
     * except those still running when last looked at ({@code pending}), read once they have ended.
     */
    record Cursor(long next, java.util.Set<Long> pending) {
    }

    /** Reads the changes committed since the last call, for every generation followed, and applies them. */
    synchronized void follow() {
        for (String schema : List.copyOf(cursors.keySet())) {
            try {
                follow(schema);
            } catch (Exception e) {
                log.debug("leaderboard changes of {} not read: {}", schema, e.toString());
            }
        }
    }

    private void follow(String schema) throws Exception {
        Cursor cursor = cursors.get(schema);
        if (cursor == null) {
            return;
        }
        List<Update> updates = new ArrayList<>();
        Snapshot now;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_current_snapshot()::text");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                now = Snapshot.parse(rs.getString(1));
            }
            // what ended since: the transactions from next up to the snapshot's xmax that were not running then,
            // and those pending that have ended since; a long transaction holds back only itself
            java.util.Set<Long> ended = new java.util.HashSet<>(cursor.pending());
            ended.removeAll(now.running());
            if (now.xmax() <= cursor.next() && ended.isEmpty()) {
                return;
            }
            // a change is a notice that the member's score changed: its value is read from scores, so notices
            // read in any order leave every member at its latest score
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT s.tenant, s.board, s.period_start, s.user_id,"
                    + " s.score, s.reached_at FROM " + schema + "." + CHANGES + " ch JOIN " + schema + ".scores s"
                    + " ON s.tenant = ch.tenant AND s.board = ch.board AND s.period_start = ch.period_start"
                    + " AND s.user_id = ch.user_id WHERE (ch.xid >= ?::xid8 AND ch.xid < ?::xid8"
                    + " AND NOT ch.xid = ANY (?::xid8[])) OR ch.xid = ANY (?::xid8[])")) {
                ps.setString(1, Long.toString(cursor.next()));
                ps.setString(2, Long.toString(Math.max(cursor.next(), now.xmax())));
                ps.setArray(3, c.createArrayOf("text", now.running().stream().map(String::valueOf).toArray()));
                ps.setArray(4, c.createArrayOf("text", ended.stream().map(String::valueOf).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        updates.add(new Update(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                                rs.getString(4), rs.getLong(5), micros(rs.getTimestamp(6))));
                    }
                }
            }
            // checked after reading: a prune that ran meanwhile may have taken changes this instance had not read
            try (PreparedStatement ps = c.prepareStatement("SELECT below::text FROM " + schema + "." + CHANGES
                    + "_horizon WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
                long horizon = rs.next() ? Long.parseLong(rs.getString(1)) : 0;
                long oldestUnread = cursor.pending().stream().mapToLong(Long::longValue).min().orElse(cursor.next());
                if (oldestUnread < horizon) {
                    log.warn("leaderboard rankings of {} fell behind the changes kept ({}): reloading them", schema,
                            RETENTION);
                    cursors.remove(schema);
                    slots.keySet().removeIf(k -> k.schema().equals(schema));
                    return;
                }
            }
        }
        java.util.Set<Long> pending = new java.util.HashSet<>(cursor.pending());
        pending.retainAll(now.running());
        for (long x : now.running()) {
            if (x >= cursor.next()) {
                pending.add(x);
            }
        }
        cursors.replace(schema, cursor, new Cursor(Math.max(cursor.next(), now.xmax()), java.util.Set.copyOf(pending)));
        horizonSeen(now.xmin());
        if (updates.isEmpty()) {
            return;
        }
        apply(schema, updates);
        for (var listener : listeners) {
            listener.accept(schema, updates);
        }
        java.util.Set<BoardChanges.Change> periods = new java.util.LinkedHashSet<>();
        for (Update u : updates) {
            periods.add(new BoardChanges.Change(u.tenant(), u.board(), u.periodStart()));
        }
        periods.forEach(streams::publish);
    }

    private synchronized void horizonSeen(long xmin) {
        long now = System.nanoTime();
        if (horizons.isEmpty() || now - horizons.peekLast()[0] > Math.min(TimeUnit.SECONDS.toNanos(10), retentionNanos)) {
            horizons.addLast(new long[]{now, xmin});
        }
    }

    /** For tests: how long changes are kept, and how often this instance prunes. */
    void pruning(java.time.Duration retention, java.time.Duration every) {
        retentionNanos = retention.toNanos();
        pruneEveryNanos = every.toNanos();
    }

    /**
     * Drops the changes every instance has had {@link #RETENTION} to read (run once a minute, not while changes
     * are being read), in chunks, and records the horizon below which they are gone.
     */
    void prune() {
        long below = -1;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastPrune < pruneEveryNanos) {
                return;
            }
            lastPrune = now;
            while (!horizons.isEmpty() && now - horizons.peekFirst()[0] >= retentionNanos) {
                below = horizons.pollFirst()[1];
            }
        }
        if (below < 0) {
            return;
        }
        for (String schema : List.copyOf(cursors.keySet())) {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + "." + CHANGES + "_horizon (id,"
                        + " below) VALUES (1, ?::xid8) ON CONFLICT (id) DO UPDATE SET below = GREATEST(" + schema + "."
                        + CHANGES + "_horizon.below, EXCLUDED.below)")) {
                    ps.setString(1, Long.toString(below));
                    ps.executeUpdate();
                }
                int n;
                do {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema + "." + CHANGES + " WHERE ctid"
                            + " IN (SELECT ctid FROM " + schema + "." + CHANGES + " WHERE xid < ?::xid8 LIMIT 10000)")) {
                        ps.setString(1, Long.toString(below));
                        n = ps.executeUpdate();
                    }
                } while (n == 10_000);
            } catch (Exception e) {
                log.debug("leaderboard changes of {} not pruned: {}", schema, e.toString());
            }
        }
    }

    private void apply(String schema, List<Update> updates) {
        if (slots.isEmpty()) {
            return;
        }
        Key last = null;
        Slot slot = null;
        for (Update u : updates) {
            Key key = new Key(schema, u.tenant(), u.board(), u.periodStart());
            if (!key.equals(last)) {
                last = key;
                slot = slots.get(key);
            }
            if (slot == null) {
                continue;
            }
            synchronized (slot) {
                if (slot.held != null) {
                    slot.held.add(u);
                    continue;
                }
            }
            slot.index.join().put(new BoardIndex.Member(u.member(), u.score(), u.reachedAt()));
        }
    }

    private void load(Key key, Slot slot) {
        try {
            List<BoardIndex.Member> rows = new ArrayList<>();
            Snapshot snapshot;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false); // one snapshot for both statements; lets the driver stream the rows
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    synchronized (this) {
                        // taken while no changes are being read: those read before are in it, the rest follow it
                        try (PreparedStatement ps = c.prepareStatement("SELECT pg_current_snapshot()::text");
                             ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            snapshot = Snapshot.parse(rs.getString(1));
                        }
                        // changes from this snapshot's horizon on are read; those it holds already are harmless
                        // to apply again: each carries the member's score read when it is applied
                        cursors.putIfAbsent(key.schema(), new Cursor(snapshot.xmin(), java.util.Set.of()));
                        synchronized (slot) {
                            slot.held.clear(); // read before this snapshot: the load has them, or newer
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT user_id, score, reached_at FROM " + key.schema()
                            + ".scores WHERE tenant = ? AND board = ? AND period_start = ?")) {
                        ps.setFetchSize(10_000);
                        ps.setString(1, key.tenant());
                        ps.setString(2, key.board());
                        ps.setTimestamp(3, Timestamp.from(key.periodStart()));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                rows.add(new BoardIndex.Member(rs.getString(1), rs.getLong(2), micros(rs.getTimestamp(3))));
                            }
                        }
                    }
                    c.commit();
                } finally {
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
            }
            BoardIndex index = BoardIndex.of(slot.ties, rows);
            synchronized (slot) {
                for (Update u : slot.held) {
                    // read from scores after the loading snapshot: never older than what the load holds
                    index.put(new BoardIndex.Member(u.member(), u.score(), u.reachedAt()));
                }
                slot.held = null;
            }
            slot.index.complete(index);
            if (rows.size() >= 100_000) {
                log.info("leaderboard {}/{} period {}: {} members loaded into memory", key.tenant(), key.board(),
                        key.periodStart(), rows.size());
            }
        } catch (Exception e) {
            slots.remove(key, slot);
            slot.index.completeExceptionally(e);
        }
    }

    /** A PostgreSQL snapshot ({@code xmin:xmax:xip,…}): which transactions' writes it sees. */
    record Snapshot(long xmin, long xmax, java.util.Set<Long> running) {
        static Snapshot parse(String text) {
            String[] parts = text.split(":", -1);
            java.util.Set<Long> running = new java.util.HashSet<>();
            if (parts.length > 2 && !parts[2].isEmpty()) {
                for (String x : parts[2].split(",")) {
                    running.add(Long.parseLong(x));
                }
            }
            return new Snapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), running);
        }

    }

    static long micros(Timestamp t) {
        return Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** Drops indexes of other schemas (generations no longer live), then the least recently read. */
    private void evict(String liveSchema) {
        slots.keySet().removeIf(k -> !k.schema().equals(liveSchema));
        int excess = slots.size() - MAX_INDEXES;
        if (excess <= 0) {
            return;
        }
        slots.entrySet().stream()
                .sorted(Comparator.comparingLong(e -> e.getValue().lastRead))
                .limit(excess)
                .map(Map.Entry::getKey)
                .toList()
                .forEach(slots::remove);
    }

    /** Loads the current period of every board of the live generation (at start, and after a new generation). */
    void warm() {
        try {
            if (!catalog.isReady()) {
                return;
            }
            String schema = projections.getObject().liveSchema(LeaderboardProjection.NAME);
            slots.keySet().removeIf(k -> !k.schema().equals(schema));
            cursors.keySet().removeIf(s -> !s.equals(schema));
            Instant now = Instant.now();
            for (var tenant : catalog.tenants()) {
                for (LeaderboardDefinition board : catalog.leaderboards(tenant.tenant())) {
                    index(schema, board, board.calendarPeriod().start(now, board.zone()));
                }
            }
        } catch (Exception e) {
            log.debug("leaderboard index warm-up skipped: {}", e.toString());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (warmer != null) {
            return;
        }
        warmer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leaderboard-index-warm");
            t.setDaemon(true);
            return t;
        });
        warmer.scheduleWithFixedDelay(this::warm, 0, 2, TimeUnit.SECONDS);
        follower = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leaderboard-changes");
            t.setDaemon(true);
            return t;
        });
        follower.scheduleWithFixedDelay(this::follow, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        warmer.scheduleWithFixedDelay(this::prune, 1, 1, TimeUnit.MINUTES);
    }

    @PreDestroy
    public synchronized void stop() {
        if (warmer != null) {
            warmer.shutdownNow();
        }
        if (follower != null) {
            follower.shutdownNow();
        }
        loader.shutdownNow();
    }
}
