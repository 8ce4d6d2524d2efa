package io.laurel.badge.challenge;

import io.laurel.badge.challenge.engine.ChallengeProgress;

import io.laurel.badge.award.BadgeProjection;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** Reads users' challenge progress from the badge projection's live generation. */
@Component
public class ChallengeReads {
    private final DatabaseClient db;
    private final ProjectionManager projections;
    private final CatalogView catalog;

    public ChallengeReads(DatabaseClient db, ProjectionManager projections, CatalogView catalog) {
        this.db = db;
        this.projections = projections;
        this.catalog = catalog;
    }

    /** Progress views of the tenant's active challenges for one user (also for the user summary). */
    public Mono<List<io.laurel.api.ChallengeStanding>> challengesOf(String tenant, String userId) {
        List<ChallengeDefinition> challenges = catalog.challenges(tenant);
        if (challenges.isEmpty()) {
            return Mono.just(List.of());
        }
        Instant now = Instant.now();
        return stored(tenant, userId).map(all -> challenges.stream()
                .map(c -> ChallengeController.progress(c, all.getOrDefault(c.id(), ChallengeProgress.NONE), now)).toList());
    }

    Mono<Map<String, ChallengeProgress>> stored(String tenant, String userId) {
        String s = projections.liveSchema(BadgeProjection.NAME);
        return db.sql("SELECT challenge_id, attempt, started_at, completed_at, last_progress_at, steps::text FROM " + s
                        + ".challenge_progress WHERE tenant = $1 AND user_id = $2")
                .bind(0, tenant).bind(1, userId)
                .map(row -> Map.entry(row.get(0, String.class), progress(row)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** Columns 2 to 6: attempt, started_at, completed_at, last_progress_at, steps. */
    static ChallengeProgress progress(Readable row) {
        return new ChallengeProgress(row.get(1, Integer.class), instant(row.get(2, OffsetDateTime.class)),
                instant(row.get(3, OffsetDateTime.class)), instant(row.get(4, OffsetDateTime.class)),
                BatchChallengeState.steps(row.get(5, String.class)));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

}
