package io.laurel.badge.award;

import io.laurel.badge.rule.Award;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.outcome.BadgeOutcomes;
import io.laurel.runtime.projection.ProjectionManager;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The badge projection's decisions about single events, for {@code POST /v1/events?wait=badges}: at once from this
 * process's projection when it folds the event, else from PostgreSQL (another instance holds its partition).
 */
@Component
@org.springframework.context.annotation.Primary
public class EventBadgeOutcomes implements BadgeOutcomes {
    private final AwardWaiters waiters;
    private final CatalogView catalog;
    private final DataSource dataSource;
    private final org.springframework.beans.factory.ObjectProvider<ProjectionManager> projections;

    private final io.laurel.runtime.outcome.PolledBadgeOutcomes elsewhere;

    public EventBadgeOutcomes(AwardWaiters waiters, CatalogView catalog, DataSource dataSource,
                              org.springframework.beans.factory.ObjectProvider<ProjectionManager> projections,
                              io.laurel.runtime.outcome.PolledBadgeOutcomes elsewhere) {
        this.elsewhere = elsewhere;
        this.waiters = waiters;
        this.catalog = catalog;
        this.dataSource = dataSource;
        this.projections = projections;
    }

    @Override
    public CompletableFuture<List<Map<String, Object>>> register(String eventId) {
        CompletableFuture<List<Map<String, Object>>> here = waiters.register(eventId).thenApply(awards -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Award a : awards) {
                out.add(view(a.tenant(), a.awardId(), a.badgeId(), a.nth()));
            }
            return out;
        });
        CompletableFuture<List<Map<String, Object>>> either = new CompletableFuture<>();
        here.thenAccept(either::complete);
        elsewhere.register(eventId).thenAccept(either::complete);
        return either;
    }

    @Override
    public void forget(String eventId) {
        waiters.forget(eventId);
        elsewhere.forget(eventId);
    }

    @Override
    public Optional<List<Map<String, Object>>> earnedBy(String tenant, String eventId) {
        String s = projections.getObject().liveSchema(BadgeProjection.NAME);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + s + ".processed WHERE source_id = ?")) {
                ps.setString(1, "event:" + eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT award_id, badge_id, nth FROM " + s + ".awards"
                    + " WHERE source = ? AND tenant = ? ORDER BY badge_id, nth")) {
                ps.setString(1, eventId);
                ps.setString(2, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(tenant, rs.getString(1), rs.getString(2), rs.getInt(3)));
                    }
                }
            }
            return Optional.of(out);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the badges of event " + eventId + " could not be read", e);
        }
    }

    private Map<String, Object> view(String tenant, String awardId, String badgeId, int count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("award_id", awardId);
        m.put("badge_id", badgeId);
        m.put("name", catalog.badge(tenant, badgeId).map(BadgeDefinition::name).orElse(badgeId));
        m.put("count", count);
        return m;
    }
}
