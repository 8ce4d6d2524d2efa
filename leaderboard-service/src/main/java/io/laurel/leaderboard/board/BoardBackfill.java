package io.laurel.leaderboard.board;

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
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fills leaderboards defined (or redefined) after the live generation was built: when the catalog holds a
 * board the live generation did not start with, it rebuilds the leaderboard projection from the start of
 * {@code laurel.points} beside the live one, which keeps serving, and switches when the new one caught up.
 * Checks every two seconds; one rebuild at a time.
 */
@Component
public class BoardBackfill {
    private static final Logger log = LoggerFactory.getLogger(BoardBackfill.class);
    private final CatalogView catalog;
    private final ProjectionManager projections;
    private final DataSource dataSource;
    private ScheduledExecutorService timer;

    public BoardBackfill(CatalogView catalog, ProjectionManager projections, DataSource dataSource) {
        this.catalog = catalog;
        this.projections = projections;
        this.dataSource = dataSource;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leaderboard-backfill");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 2, 2, TimeUnit.SECONDS);
    }

    /** Starts a rebuild when boards are missing from the live generation; returns the missing ones. */
    public Set<String> check() {
        try {
            if (!catalog.isReady()) {
                return Set.of();
            }
            Set<String> missing = new TreeSet<>(LeaderboardProjection.boardSignatures(catalog));
            missing.removeAll(complete(projections.liveSchema(LeaderboardProjection.NAME)));
            if (!missing.isEmpty()) {
                try {
                    var rebuild = projections.startRebuild(LeaderboardProjection.NAME, true);
                    log.info("leaderboards {} are not filled from the start of the journal in the live generation:"
                            + " rebuilding it ({})", missing, rebuild.id());
                } catch (IllegalStateException busy) {
                    // a rebuild is running; what it misses is caught on a later check
                }
            }
            return missing;
        } catch (Exception e) {
            log.warn("leaderboard backfill check failed: {}", e.getMessage());
            return Set.of();
        }
    }

    private Set<String> complete(String schema) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT signature FROM " + schema + ".complete_boards")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @PreDestroy
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
