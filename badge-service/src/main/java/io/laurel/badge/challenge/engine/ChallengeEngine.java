package io.laurel.badge.challenge.engine;

import io.laurel.badge.challenge.engine.ChallengeProgress.StepProgress;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.catalog.ChallengeDefinition.Step;
import io.laurel.events.expression.Expression;
import io.laurel.events.expression.ExpressionException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows each user's progress through the challenges (plain Java, no I/O: the projection supplies the state and
 * the definitions). What happened is judged by when it happened ({@code occurred_at}), in the tenant's zone for
 * streaks:
 * <ul>
 *   <li>only what happens from the challenge's start to its deadline counts;</li>
 *   <li>every step an event (entry, award) matches progresses, and a step is reached when its own condition is
 *       met; in an unordered challenge a reached step is passed, in an ordered one it is passed once every step
 *       before it is, no earlier than the last of them (so a step done early waits, and the result does not
 *       depend on whether an event or its points entry is folded first, as it may not be in a rebuild);</li>
 *   <li>the attempt starts with the first progress; with a time box, something that counts after the box ran
 *       out (and before completion) starts a new attempt from nothing, and counts in it;</li>
 *   <li>a challenge is completed once, when its last step is passed; a reached step stays reached and a passed
 *       one passed.</li>
 * </ul>
 * Removed events take nothing back; revoked points lower a points step's progress but never un-reach it.
 */
public final class ChallengeEngine {
    private final Map<String, Expression> expressions = new ConcurrentHashMap<>();

    /** Which steps an input concerns (cheap: checked before any progress is read), and how it changes one. */
    private interface StepChange {
        boolean concerns(Step step);

        /** The step's progress after the input, or null when it does not change it. */
        StepProgress apply(Step step, StepProgress before);
    }

    private static StepChange change(java.util.function.Predicate<Step> concerns,
                                     java.util.function.BiFunction<Step, StepProgress, StepProgress> apply) {
        return new StepChange() {
            @Override
            public boolean concerns(Step step) {
                return concerns.test(step);
            }

            @Override
            public StepProgress apply(Step step, StepProgress before) {
                return apply.apply(step, before);
            }
        };
    }

    /** What an accepted event achieves in first, count and streak steps of its type. */
    public List<ChallengeOutcome> onEvent(EventAccepted e, List<ChallengeDefinition> challenges, ZoneId zone,
                                          ChallengeState state) {
        if (e.eventAction() == EventAction.REMOVE || e.occurredAt() == null || challenges.isEmpty()) {
            return List.of();
        }
        Expression.Context[] context = new Expression.Context[1];
        StepChange change = change(step -> e.eventType().equals(step.eventType())
                && (step.kind().equals(ChallengeDefinition.FIRST) || step.kind().equals(ChallengeDefinition.COUNT)
                || step.kind().equals(ChallengeDefinition.STREAK)), (step, before) -> {
            if (step.condition() != null && !step.condition().isBlank()) {
                if (context[0] == null) {
                    context[0] = Expression.Context.of(e.userId(), e.eventType(), e.groups(), e.eventData());
                }
                try {
                    if (!expression(step.condition()).test(context[0])) {
                        return null;
                    }
                } catch (ExpressionException ex) {
                    return null; // a condition that cannot be evaluated on this event does not hold for it
                }
            }
            if (step.kind().equals(ChallengeDefinition.STREAK)) {
                return streak(step, before, e.occurredAt(), zone);
            }
            return counted(step, before, 1, e.occurredAt());
        });
        return advance(e.tenant(), e.userId(), e.occurredAt(), e.eventId(), challenges, state, change, true);
    }

    /** What a journal entry achieves in points steps of its currency (redemptions do not count). */
    public List<ChallengeOutcome> onPoints(PointsEntry entry, List<ChallengeDefinition> challenges, ChallengeState state) {
        if (entry.kind() == PointsEntryKind.REDEEMED || entry.points() == 0 || challenges.isEmpty()) {
            return List.of();
        }
        Instant at = entry.occurredAt() != null ? entry.occurredAt() : entry.recordedAt();
        StepChange change = change(step -> ChallengeDefinition.POINTS.equals(step.kind())
                        && entry.currency().equals(step.currency() == null ? "points" : step.currency()),
                (step, before) -> counted(step, before, entry.points(), at));
        return advance(entry.tenant(), entry.userId(), at, entry.entryId(), challenges, state, change, entry.points() > 0);
    }

    /** What a badge awarded achieves in badge steps naming it. */
    public List<ChallengeOutcome> onAward(String tenant, String userId, String badgeId, Instant at, String awardId,
                                          List<ChallengeDefinition> challenges, ChallengeState state) {
        if (challenges.isEmpty()) {
            return List.of();
        }
        StepChange change = change(step -> ChallengeDefinition.BADGE.equals(step.kind()) && badgeId.equals(step.badgeId()),
                (step, before) -> new StepProgress(before.value() + 1, before.lastPeriod(),
                        before.reached() ? before.reachedAt() : at, null));
        return advance(tenant, userId, at, awardId, challenges, state, change, true);
    }

    /**
     * Applies {@code change} to the open steps of every running challenge the user has not completed, then passes
     * the steps that are reached (in an ordered challenge, only behind every step before them).
     *
     * @param mayStart whether the input may start an attempt (revoked points do not)
     */
    private List<ChallengeOutcome> advance(String tenant, String userId, Instant at, String source,
                                           List<ChallengeDefinition> challenges, ChallengeState state, StepChange change,
                                           boolean mayStart) {
        List<ChallengeOutcome> outcomes = new ArrayList<>();
        for (ChallengeDefinition c : challenges) {
            if (!c.active() || c.steps().isEmpty() || !c.runsAt(at) || !concernsAny(c, change)) {
                continue;
            }
            ChallengeProgress before = state.progress(tenant, userId, c.id());
            if (before.completed()) {
                continue;
            }
            ChallengeProgress base = before;
            Duration box = c.timeBoxDuration();
            if (box != null && before.started() && !at.isBefore(before.startedAt().plus(box))) {
                base = before.restarted(); // the time box ran out: this counts toward a new attempt
            }
            if (!base.started() && !mayStart) {
                continue;
            }
            Map<String, StepProgress> steps = new LinkedHashMap<>(base.steps());
            boolean changed = false;
            for (Step step : c.steps()) {
                StepProgress sp = base.step(step.id());
                if (sp.passed() || !change.concerns(step)) {
                    continue;
                }
                StepProgress next = change.apply(step, sp);
                if (next != null && !next.equals(sp)) {
                    changed = true;
                    steps.put(step.id(), next);
                }
            }
            if (!changed) {
                continue;
            }
            int attempt = base.started() ? base.attempt() : base.attempt() + 1;
            Instant startedAt = base.started() && base.startedAt().isBefore(at) ? base.startedAt() : at;
            // pass what is reached: in order, each step no earlier than the one before it
            int total = c.steps().size();
            int passedCount = 0;
            Instant previous = null;
            List<ChallengeOutcome> passed = new ArrayList<>();
            for (Step step : c.steps()) {
                StepProgress sp = steps.getOrDefault(step.id(), StepProgress.NONE);
                if (!sp.passed() && sp.reached()) {
                    Instant when = c.ordered() && previous != null && previous.isAfter(sp.reachedAt()) ? previous
                            : sp.reachedAt();
                    sp = new StepProgress(sp.value(), sp.lastPeriod(), sp.reachedAt(), when);
                    steps.put(step.id(), sp);
                    passed.add(new ChallengeOutcome(ChallengeOutcome.stepId(tenant, userId, c.id(), attempt, step.id()),
                            ChallengeOutcome.PROGRESSED, tenant, userId, c.id(), c.version(), step.id(), 0, total,
                            attempt, when, source));
                }
                if (sp.passed()) {
                    passedCount++;
                    previous = previous == null || sp.passedAt().isAfter(previous) ? sp.passedAt() : previous;
                } else if (c.ordered()) {
                    break; // the steps behind it wait
                }
            }
            int running = passedCount - passed.size();
            for (ChallengeOutcome o : passed) {
                outcomes.add(new ChallengeOutcome(o.id(), o.kind(), tenant, userId, c.id(), c.version(), o.stepId(),
                        ++running, total, attempt, o.at(), source));
            }
            Instant completedAt = null;
            if (passedCount == total) {
                completedAt = previous;
                outcomes.add(new ChallengeOutcome(ChallengeOutcome.completionId(tenant, userId, c.id()),
                        ChallengeOutcome.COMPLETED, tenant, userId, c.id(), c.version(), null, total, total, attempt,
                        completedAt, source));
            }
            state.save(tenant, userId, c.id(), new ChallengeProgress(attempt, startedAt, completedAt, at, steps), passedCount,
                    c.percent(step -> steps.getOrDefault(step.id(), StepProgress.NONE).passed()));
        }
        return outcomes;
    }

    private static boolean concernsAny(ChallengeDefinition c, StepChange change) {
        for (Step step : c.steps()) {
            if (change.concerns(step)) {
                return true;
            }
        }
        return false;
    }

    /** First and count steps (events), points steps (points): reached when the value reaches the target. */
    private static StepProgress counted(Step step, StepProgress before, long add, Instant at) {
        long value = before.value() + add;
        Instant reached = before.reached() ? before.reachedAt() : value >= step.target() ? at : null;
        return new StepProgress(value, before.lastPeriod(), reached, null);
    }

    /** Streak steps: consecutive days (or weeks from Monday) in the tenant's zone; an earlier day counts for nothing. */
    private static StepProgress streak(Step step, StepProgress before, Instant at, ZoneId zone) {
        long period = io.laurel.badge.rule.BadgeEngine.period(step.streakUnit(), at, zone);
        long length;
        if (before.lastPeriod() == StepProgress.NO_PERIOD || period > before.lastPeriod() + 1) {
            length = 1;
        } else if (period == before.lastPeriod() + 1) {
            length = before.value() + 1;
        } else {
            return null; // the same day (or week) again, or one before the streak's last
        }
        Instant reached = before.reached() ? before.reachedAt() : length >= step.target() ? at : null;
        return new StepProgress(length, period, reached, null);
    }

    private Expression expression(String text) {
        return expressions.computeIfAbsent(text, Expression::parse);
    }
}
