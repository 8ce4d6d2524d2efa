package io.laurel.badge.challenge;

import io.laurel.badge.challenge.engine.ChallengeProgress;

import io.laurel.badge.award.BadgeProjection;
import io.laurel.badge.challenge.engine.ChallengeProgress.StepProgress;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.catalog.ChallengeDefinition.Step;
import io.laurel.events.json.IsoInstants;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.projection.ProjectionManager;
import io.laurel.runtime.web.Caller;
import io.laurel.runtime.web.ProblemException;
import io.laurel.runtime.web.Scope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Challenges as users and dashboards see them: the tenant's challenges, each user's progress (steps passed,
 * percentage, status), and the top users of a challenge. Progress is the badge projection's
 * {@code challenge_progress}; whether an attempt has run out (deadline, time box) is judged at read time.
 */
@RestController
public class ChallengeController {
    public static final String NOT_STARTED = "not_started";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    public static final String EXPIRED = "expired";

    private final DatabaseClient db;
    private final ProjectionManager projections;
    private final CatalogView catalog;
    private final ChallengeReads reads;

    public ChallengeController(DatabaseClient db, ProjectionManager projections, CatalogView catalog,
                               ChallengeReads reads) {
        this.reads = reads;
        this.db = db;
        this.projections = projections;
        this.catalog = catalog;
    }

    /** The tenant's active challenges. */
    @GetMapping("/v1/challenges")
    public io.laurel.api.Challenges list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        return new io.laurel.api.Challenges(catalog.challenges(tenant).stream().map(ChallengeController::definition)
                .toList());
    }

    /** One challenge, with how many users took part and how many completed it. */
    @GetMapping("/v1/challenges/{id}")
    public Mono<io.laurel.api.Challenge> get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        ChallengeDefinition c = require(tenant, id);
        String s = projections.liveSchema(BadgeProjection.NAME);
        return db.sql("SELECT count(*), count(completed_at) FROM " + s + ".challenge_progress WHERE tenant = $1"
                        + " AND challenge_id = $2")
                .bind(0, tenant).bind(1, id)
                .map(row -> definition(c, row.get(0, Long.class), row.get(1, Long.class)))
                .one();
    }

    /**
     * The top users of a challenge: those who completed it first, then by steps passed, then who passed them
     * first.
     */
    @GetMapping("/v1/challenges/{id}/leaders")
    public Mono<io.laurel.api.ChallengeLeaders> leaders(@PathVariable String id, @RequestParam(defaultValue = "0") int offset,
                                             @RequestParam(defaultValue = "10") int limit, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        if (limit < 1 || limit > 100 || offset < 0) {
            throw ProblemException.badRequest("INVALID_PAGE", "limit must be 1 to 100 and offset at least 0");
        }
        ChallengeDefinition c = require(tenant, id);
        String s = projections.liveSchema(BadgeProjection.NAME);
        Instant now = Instant.now();
        Mono<Long> total = db.sql("SELECT count(*) FROM " + s + ".challenge_progress WHERE tenant = $1 AND challenge_id = $2")
                .bind(0, tenant).bind(1, id).map(row -> row.get(0, Long.class)).one();
        Mono<List<io.laurel.api.ChallengeLeader>> entries = db.sql("SELECT user_id, attempt, started_at, completed_at,"
                        + " last_progress_at, steps::text FROM " + s + ".challenge_progress WHERE tenant = $1"
                        + " AND challenge_id = $2 ORDER BY (completed_at IS NULL), completed_at, percent DESC,"
                        + " last_progress_at, user_id OFFSET $3 LIMIT $4")
                .bind(0, tenant).bind(1, id).bind(2, offset).bind(3, limit)
                .map(row -> Map.entry(row.get(0, String.class), ChallengeReads.progress(row)))
                .all().collectList()
                .map(rows -> {
                    List<io.laurel.api.ChallengeLeader> out = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        io.laurel.api.ChallengeStanding full = progress(c, rows.get(i).getValue(), now);
                        out.add(new io.laurel.api.ChallengeLeader(offset + i + 1, rows.get(i).getKey(), full.status(),
                                full.stepsPassed(), full.stepsTotal(), full.percent(), full.attempt(), full.startedAt(),
                                full.completedAt()));
                    }
                    return out;
                });
        return Mono.zip(total, entries).map(t -> new io.laurel.api.ChallengeLeaders(id, t.getT1(), t.getT2()));
    }

    /** One user's progress in one challenge. */
    @GetMapping("/v1/challenges/{id}/users/{userId}")
    public Mono<io.laurel.api.ChallengeStanding> user(@PathVariable String id, @PathVariable String userId,
                                                      ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        ChallengeDefinition c = require(tenant, id);
        Instant now = Instant.now();
        return reads.stored(tenant, userId).map(all -> progress(c, all.getOrDefault(id, ChallengeProgress.NONE), now)
                .ofUser(userId));
    }

    /** The user's progress in each of the tenant's active challenges. */
    @GetMapping("/v1/users/{userId}/challenges")
    public Mono<io.laurel.api.UserChallenges> ofUser(@PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        return reads.challengesOf(tenant, userId).map(list -> new io.laurel.api.UserChallenges(userId, list));
    }

    private ChallengeDefinition require(String tenant, String id) {
        return catalog.challenge(tenant, id).filter(ChallengeDefinition::active).orElseThrow(() ->
                ProblemException.notFound("CHALLENGE_NOT_FOUND", "No challenge '" + id + "' in this tenant."));
    }

    /** A challenge as users see it. */
    static io.laurel.api.Challenge definition(ChallengeDefinition c) {
        return definition(c, null, null);
    }

    static io.laurel.api.Challenge definition(ChallengeDefinition c, Long participants, Long completed) {
        List<io.laurel.api.ChallengeStep> steps = new ArrayList<>();
        for (Step step : c.steps()) {
            steps.add(new io.laurel.api.ChallengeStep(step.id(), step.name(), step.kind(), step.eventType(), step.target(),
                    step.currency(), ChallengeDefinition.STREAK.equals(step.kind()) ? step.streakUnit() : null,
                    step.badgeId(), step.weight()));
        }
        return new io.laurel.api.Challenge(c.id(), c.name(), c.description(), c.imageUrl(), c.ordered(), steps,
                c.startsAt(), c.endsAt(), c.timeBox(), new io.laurel.api.ChallengeReward(c.rewardPoints(),
                c.rewardCurrency(), c.rewardBadgeId()), participants, completed);
    }

    /**
     * A user's progress: {@code status} {@code not_started}, {@code in_progress}, {@code completed} or
     * {@code expired} (the deadline passed, or the time box ran out, before completion), the steps passed of
     * all, the percentage (whole, rounded down), and each step's progress toward its target.
     */
    public static io.laurel.api.ChallengeStanding progress(ChallengeDefinition c, ChallengeProgress p, Instant now) {
        Duration box = c.timeBoxDuration();
        Instant boxEnds = box != null && p.started() && !p.completed() ? p.startedAt().plus(box) : null;
        String status;
        if (p.completed()) {
            status = COMPLETED;
        } else if ((c.endsAt() != null && !now.isBefore(c.endsAt())) || (boxEnds != null && !now.isBefore(boxEnds))) {
            status = EXPIRED;
        } else if (p.started()) {
            status = IN_PROGRESS;
        } else {
            status = NOT_STARTED;
        }
        boolean fresh = EXPIRED.equals(status) && boxEnds != null && (c.endsAt() == null || now.isBefore(c.endsAt()));
        List<io.laurel.api.StepStanding> steps = new ArrayList<>();
        int passed = 0;
        for (Step step : c.steps()) {
            StepProgress sp = p.step(step.id());
            if (sp.passed()) {
                passed++;
            }
            steps.add(new io.laurel.api.StepStanding(step.id(), step.name(), step.kind(), sp.passed(), sp.passedAt(),
                    sp.reached() ? step.target() : Math.max(0, Math.min(sp.value(), step.target())), step.target(),
                    step.weight()));
        }
        int total = c.steps().size();
        // a time-boxed attempt that ran out before the deadline: the next thing that counts starts another
        return new io.laurel.api.ChallengeStanding(c.id(), c.name(), null, status, c.ordered(), passed, total,
                c.percent(step -> p.step(step.id()).passed()), p.attempt(), p.startedAt(), p.completedAt(), c.endsAt(),
                boxEnds, fresh, steps);
    }

}
