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
    public Map<String, Object> list(ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        return Map.of("challenges", catalog.challenges(tenant).stream().map(ChallengeController::definition).toList());
    }

    /** One challenge, with how many users took part and how many completed it. */
    @GetMapping("/v1/challenges/{id}")
    public Mono<Map<String, Object>> get(@PathVariable String id, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        ChallengeDefinition c = require(tenant, id);
        String s = projections.liveSchema(BadgeProjection.NAME);
        return db.sql("SELECT count(*), count(completed_at) FROM " + s + ".challenge_progress WHERE tenant = $1"
                        + " AND challenge_id = $2")
                .bind(0, tenant).bind(1, id)
                .map(row -> {
                    Map<String, Object> out = definition(c);
                    out.put("participants", row.get(0, Long.class));
                    out.put("completed", row.get(1, Long.class));
                    return out;
                })
                .one();
    }

    /**
     * The top users of a challenge: those who completed it first, then by steps passed, then who passed them
     * first.
     */
    @GetMapping("/v1/challenges/{id}/leaders")
    public Mono<Map<String, Object>> leaders(@PathVariable String id, @RequestParam(defaultValue = "0") int offset,
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
        Mono<List<Map<String, Object>>> entries = db.sql("SELECT user_id, attempt, started_at, completed_at,"
                        + " last_progress_at, steps::text FROM " + s + ".challenge_progress WHERE tenant = $1"
                        + " AND challenge_id = $2 ORDER BY (completed_at IS NULL), completed_at, percent DESC,"
                        + " last_progress_at, user_id OFFSET $3 LIMIT $4")
                .bind(0, tenant).bind(1, id).bind(2, offset).bind(3, limit)
                .map(row -> Map.entry(row.get(0, String.class), ChallengeReads.progress(row)))
                .all().collectList()
                .map(rows -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        Map<String, Object> full = progress(c, rows.get(i).getValue(), now);
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("rank", offset + i + 1);
                        e.put("user_id", rows.get(i).getKey());
                        for (String k : List.of("status", "steps_passed", "steps_total", "percent", "attempt", "started_at",
                                "completed_at")) {
                            e.put(k, full.get(k));
                        }
                        out.add(e);
                    }
                    return out;
                });
        return Mono.zip(total, entries).map(t -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("challenge_id", id);
            out.put("total", t.getT1());
            out.put("entries", t.getT2());
            return out;
        });
    }

    /** One user's progress in one challenge. */
    @GetMapping("/v1/challenges/{id}/users/{userId}")
    public Mono<Map<String, Object>> user(@PathVariable String id, @PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        ChallengeDefinition c = require(tenant, id);
        Instant now = Instant.now();
        return reads.stored(tenant, userId).map(all -> {
            Map<String, Object> out = progress(c, all.getOrDefault(id, ChallengeProgress.NONE), now);
            out.put("user_id", userId);
            return out;
        });
    }

    /** The user's progress in each of the tenant's active challenges. */
    @GetMapping("/v1/users/{userId}/challenges")
    public Mono<Map<String, Object>> ofUser(@PathVariable String userId, ServerWebExchange exchange) {
        String tenant = Caller.of(exchange).require(Scope.BADGES_READ);
        return reads.challengesOf(tenant, userId).map(list -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("user_id", userId);
            out.put("challenges", list);
            return out;
        });
    }

    private ChallengeDefinition require(String tenant, String id) {
        return catalog.challenge(tenant, id).filter(ChallengeDefinition::active).orElseThrow(() ->
                ProblemException.notFound("CHALLENGE_NOT_FOUND", "No challenge '" + id + "' in this tenant."));
    }

    /** A challenge as users see it. */
    static Map<String, Object> definition(ChallengeDefinition c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("name", c.name());
        out.put("description", c.description());
        out.put("image_url", c.imageUrl());
        out.put("ordered", c.ordered());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step step : c.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", step.id());
            m.put("name", step.name());
            m.put("kind", step.kind());
            m.put("event_type", step.eventType());
            m.put("target", step.target());
            m.put("currency", step.currency());
            m.put("streak_unit", ChallengeDefinition.STREAK.equals(step.kind()) ? step.streakUnit() : null);
            m.put("badge_id", step.badgeId());
            m.put("weight", step.weight());
            steps.add(m);
        }
        out.put("steps", steps);
        out.put("starts_at", format(c.startsAt()));
        out.put("ends_at", format(c.endsAt()));
        out.put("time_box", c.timeBox());
        Map<String, Object> reward = new LinkedHashMap<>();
        reward.put("points", c.rewardPoints());
        reward.put("currency", c.rewardCurrency());
        reward.put("badge_id", c.rewardBadgeId());
        out.put("reward", reward);
        return out;
    }

    /**
     * A user's progress: {@code status} {@code not_started}, {@code in_progress}, {@code completed} or
     * {@code expired} (the deadline passed, or the time box ran out, before completion), the steps passed of
     * all, the percentage (whole, rounded down), and each step's progress toward its target.
     */
    public static Map<String, Object> progress(ChallengeDefinition c, ChallengeProgress p, Instant now) {
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
        List<Map<String, Object>> steps = new ArrayList<>();
        int passed = 0;
        for (Step step : c.steps()) {
            StepProgress sp = p.step(step.id());
            if (sp.passed()) {
                passed++;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step_id", step.id());
            m.put("name", step.name());
            m.put("kind", step.kind());
            m.put("passed", sp.passed());
            m.put("passed_at", format(sp.passedAt()));
            m.put("progress", sp.reached() ? step.target() : Math.max(0, Math.min(sp.value(), step.target())));
            m.put("target", step.target());
            m.put("weight", step.weight());
            steps.add(m);
        }
        int total = c.steps().size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("challenge_id", c.id());
        out.put("name", c.name());
        out.put("status", status);
        out.put("ordered", c.ordered());
        out.put("steps_passed", passed);
        out.put("steps_total", total);
        out.put("percent", c.percent(step -> p.step(step.id()).passed()));
        out.put("attempt", p.attempt());
        out.put("started_at", format(p.startedAt()));
        out.put("completed_at", format(p.completedAt()));
        out.put("deadline", format(c.endsAt()));
        out.put("time_box_ends_at", format(boxEnds));
        // a time-boxed attempt that ran out before the deadline: the next thing that counts starts another
        out.put("can_restart", fresh);
        out.put("steps", steps);
        return out;
    }

    private static String format(Instant at) {
        return at == null ? null : IsoInstants.format(at);
    }
}
