package io.laurel.runtime.outcome;

import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The badge projection's decisions about events, read from PostgreSQL: what answers {@code ?wait=badges} on an
 * instance whose badge projection does not fold the event (another process, or another instance holding its
 * partition). One poller asks, every {@value #POLL_MILLIS} ms while requests wait, which of the waited-for events
 * the live generation of the {@code badges} projection has processed ({@code processed.source_id =
 * 'event:<id>'}, written in the transaction that writes its awards), then reads their awards. It reads the badge
 * projection's tables, {@code processed(source_id)} and {@code awards(award_id, badge_id, nth, source, tenant)}:
 * that layout is the contract between the two (the badge service's {@code BadgeProjection} owns it).
 */
public final class PolledBadgeOutcomes implements BadgeOutcomes {
    static final long POLL_MILLIS = 25;
    private static final Logger log = LoggerFactory.getLogger(PolledBadgeOutcomes.class);
    private static final String PROJECTION = "badges";

    private final DataSource dataSource;
    private final ProjectionStore store;
    private final CatalogView catalog;
    private final Map<String, CompletableFuture<List<Map<String, Object>>>> waiting = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService poller;

    public PolledBadgeOutcomes(DataSource dataSource, ProjectionStore store, CatalogView catalog) {
        this.dataSource = dataSource;
        this.store = store;
        this.catalog = catalog;
    }

    @Override
    public CompletableFuture<List<Map<String, Object>>> register(String eventId) {
        startPolling();
        return waiting.computeIfAbsent(eventId, id -> new CompletableFuture<>());
    }

    @Override
    public void forget(String eventId) {
        waiting.remove(eventId);
    }

    @Override
    public Optional<List<Map<String, Object>>> earnedBy(String tenant, String eventId) {
        Optional<String> schema;
        try {
            schema = liveSchema();
        } catch (SQLException e) {
            throw new IllegalStateException("the badges of event " + eventId + " could not be read", e);
        }
        try (Connection c = dataSource.getConnection()) {
            if (schema.isEmpty() || processed(c, schema.get(), List.of(eventId)).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(awards(c, schema.get(), eventId).getOrDefault(eventId, List.of()));
        } catch (SQLException e) {
            throw new IllegalStateException("the badges of event " + eventId + " could not be read", e);
        }
    }

    private synchronized void startPolling() {
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "badge-outcomes-poller");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Completes the waits of every event the badge projection has processed since the last poll. */
    void poll() {
        if (waiting.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(waiting.keySet());
        Optional<String> schema;
        try {
            schema = liveSchema(); // before taking a connection: it takes one of its own
        } catch (Exception e) {
            log.debug("badge outcomes not read: {}", e.toString());
            return;
        }
        if (schema.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            List<String> done = processed(c, schema.get(), ids);
            if (done.isEmpty()) {
                return;
            }
            Map<String, List<Map<String, Object>>> earned = awards(c, schema.get(), done.toArray(String[]::new));
            for (String id : done) {
                CompletableFuture<List<Map<String, Object>>> f = waiting.remove(id);
                if (f != null) {
                    f.complete(earned.getOrDefault(id, List.of()));
                }
            }
        } catch (Exception e) {
            // the database away: the requests wait until their own deadline, as they would for the projection
            log.debug("badge outcomes not read: {}", e.toString());
        }
    }

    private Optional<String> liveSchema() throws SQLException {
        return store.liveGeneration(PROJECTION).map(g -> ProjectionStore.schemaOf(PROJECTION, g));
    }

    private static List<String> processed(Connection c, String schema, List<String> eventIds) throws SQLException {
        String[] sources = eventIds.stream().map(id -> "event:" + id).toArray(String[]::new);
        List<String> done = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_id FROM " + schema
                + ".processed WHERE source_id = ANY(?)")) {
            Array array = c.createArrayOf("text", sources);
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(rs.getString(1).substring("event:".length()));
                }
            }
        }
        return done;
    }

    private Map<String, List<Map<String, Object>>> awards(Connection c, String schema, String... eventIds)
            throws SQLException {
        Map<String, List<Map<String, Object>>> byEvent = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source, tenant, award_id, badge_id, nth FROM " + schema
                + ".awards WHERE source = ANY(?) ORDER BY source, badge_id, nth")) {
            ps.setArray(1, c.createArrayOf("text", eventIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String tenant = rs.getString(2);
                    String badgeId = rs.getString(4);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("award_id", rs.getString(3));
                    m.put("badge_id", badgeId);
                    m.put("name", catalog.badge(tenant, badgeId).map(BadgeDefinition::name).orElse(badgeId));
                    m.put("count", rs.getInt(5));
                    byEvent.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(m);
                }
            }
        }
        return byEvent;
    }

    /** Stops the poller (the context closing). */
    public void close() {
        ScheduledExecutorService p = poller;
        if (p != null) {
            p.shutdownNow();
        }
    }
}
