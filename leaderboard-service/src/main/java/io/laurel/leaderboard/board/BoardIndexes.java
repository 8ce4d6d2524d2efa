package io.laurel.leaderboard.board;

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
 * whenever a new generation goes live), then kept up to date by the projection after each commit. At most
 * {@link #MAX_INDEXES} indexes are kept; the least recently read other than current periods go first.
 *
 * <p>Loading and updates meet without a gap: an index is registered before its rows are read, and updates
 * that arrive while it loads are held and applied afterwards in commit order. Updates carry a member's
 * absolute score after the commit, so applying one the snapshot already holds changes nothing.
 */
@Component
public class BoardIndexes {
    static final int MAX_INDEXES = 256;
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
    private final AtomicLong clock = new AtomicLong();
    private final ExecutorService loader = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "leaderboard-index-load");
        t.setDaemon(true);
        return t;
    });
    private ScheduledExecutorService warmer;

    /** The projection manager runs the projection that feeds these indexes: it is looked up when needed. */
    public BoardIndexes(DataSource dataSource, org.springframework.beans.factory.ObjectProvider<ProjectionManager> projections,
                        CatalogView catalog) {
        this.dataSource = dataSource;
        this.projections = projections;
        this.catalog = catalog;
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

    /** Applies members' scores committed to {@code schema} (the projection calls it after each commit). */
    public void committed(String schema, List<Update> updates) {
        apply(schema, updates);
        for (var listener : listeners) {
            listener.accept(schema, updates);
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
            BoardIndex.Member m = new BoardIndex.Member(u.member(), u.score(), u.reachedAt());
            synchronized (slot) {
                if (slot.held != null) {
                    slot.held.add(u);
                    continue;
                }
            }
            slot.index.join().put(m);
        }
    }

    private void load(Key key, Slot slot) {
        try {
            List<BoardIndex.Member> rows = new ArrayList<>();
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT user_id, score, reached_at FROM " + key.schema()
                         + ".scores WHERE tenant = ? AND board = ? AND period_start = ?")) {
                c.setAutoCommit(false); // lets the driver stream the rows
                ps.setFetchSize(10_000);
                ps.setString(1, key.tenant());
                ps.setString(2, key.board());
                ps.setTimestamp(3, Timestamp.from(key.periodStart()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new BoardIndex.Member(rs.getString(1), rs.getLong(2), micros(rs.getTimestamp(3))));
                    }
                }
                c.commit();
            }
            BoardIndex index = BoardIndex.of(slot.ties, rows);
            synchronized (slot) {
                for (Update u : slot.held) {
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
    }

    @PreDestroy
    public synchronized void stop() {
        if (warmer != null) {
            warmer.shutdownNow();
        }
        loader.shutdownNow();
    }
}
