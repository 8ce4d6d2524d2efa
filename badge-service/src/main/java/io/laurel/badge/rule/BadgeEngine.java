package io.laurel.badge.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.expression.Expression;
import io.laurel.events.expression.ExpressionException;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which badges an event, a journal entry or a grant earns, from each user's {@link Progress}
 * (plain Java, no I/O: the projection supplies the state and the definitions). Events are judged by when
 * they happened ({@code occurred_at}), in the tenant's time zone for streaks. Badges once earned stay
 * earned: a removed event ({@code event_action remove}) takes nothing back, and neither does a changed
 * definition. Only active definitions earn.
 */
public final class BadgeEngine {
    private final Map<String, Expression> expressions = new ConcurrentHashMap<>();

    /** The awards an accepted event earns (first, count, streak and attendance badges of its type). */
    public List<Award> onEvent(EventAccepted event, List<BadgeDefinition> badges, ZoneId zone, BadgeState state) {
        if (event.eventAction() == EventAction.REMOVE || event.occurredAt() == null) {
            return List.of();
        }
        List<Award> awards = new ArrayList<>();
        Expression.Context context = null;
        for (BadgeDefinition badge : badges) {
            if (!badge.active() || !event.eventType().equals(badge.eventType())) {
                continue;
            }
            String kind = badge.badgeKind();
            if (!kind.equals(BadgeDefinition.FIRST) && !kind.equals(BadgeDefinition.COUNT)
                    && !kind.equals(BadgeDefinition.STREAK) && !kind.equals(BadgeDefinition.ATTENDANCE)) {
                continue;
            }
            if (badge.condition() != null && !badge.condition().isBlank()) {
                if (context == null) {
                    context = Expression.Context.of(event.userId(), event.eventType(), event.groups(), event.eventData());
                }
                try {
                    if (!expression(badge.condition()).test(context)) {
                        continue;
                    }
                } catch (ExpressionException e) {
                    continue; // a condition that cannot be evaluated on this event does not hold for it
                }
            }
            Progress p = state.progress(event.tenant(), event.userId(), badge.id());
            Progress next = switch (kind) {
                case BadgeDefinition.FIRST -> first(badge, p, event, zone, awards);
                case BadgeDefinition.COUNT -> counted(badge, p.withValue(p.value() + 1), event.tenant(), event.userId(),
                        event.occurredAt(), event.eventId(), zone, awards, "event");
                case BadgeDefinition.STREAK -> streak(badge, p, event, zone, awards);
                default -> attendance(badge, p, event, zone, awards);
            };
            if (!next.equals(p)) {
                state.save(event.tenant(), event.userId(), badge.id(), next);
            }
        }
        return awards;
    }

    /** The awards a journal entry earns (points badges of its currency); redemptions do not count. */
    public List<Award> onPoints(PointsEntry entry, List<BadgeDefinition> badges, ZoneId zone, BadgeState state) {
        if (entry.kind() == PointsEntryKind.REDEEMED || entry.points() == 0) {
            return List.of();
        }
        List<Award> awards = new ArrayList<>();
        Instant at = entry.occurredAt() != null ? entry.occurredAt() : entry.recordedAt();
        for (BadgeDefinition badge : badges) {
            if (!badge.active() || !BadgeDefinition.POINTS.equals(badge.badgeKind())
                    || !badge.currency().equals(entry.currency())) {
                continue;
            }
            Progress p = state.progress(entry.tenant(), entry.userId(), badge.id());
            Progress next = counted(badge, p.withValue(p.value() + entry.points()), entry.tenant(), entry.userId(), at,
                    entry.entryId(), zone, awards, "points");
            state.save(entry.tenant(), entry.userId(), badge.id(), next);
        }
        return awards;
    }

    /** A level reached: the {@code number}-th level of the set {@code levelSet}; the id is derived like an award's. */
    public record LevelUp(String id, String tenant, String userId, String levelSet, int number, String name,
                          long threshold, Instant reachedAt, String source) {
    }

    /** The progress key of a level set (beside the badges' in the same store). */
    public static String levelKey(String levelSet) {
        return "level:" + levelSet;
    }

    /**
     * Levels a journal entry reaches (each level passed, in order); revocations lower the points and may lower
     * the level, silently. The progress keeps the points earned and how many levels of the set were reached.
     */
    public List<LevelUp> onPointsLevels(PointsEntry entry, List<io.laurel.events.catalog.LevelDefinition> sets,
                                        BadgeState state) {
        if (entry.kind() == PointsEntryKind.REDEEMED || entry.points() == 0) {
            return List.of();
        }
        List<LevelUp> ups = new ArrayList<>();
        Instant at = entry.occurredAt() != null ? entry.occurredAt() : entry.recordedAt();
        for (io.laurel.events.catalog.LevelDefinition set : sets) {
            if (!set.active() || !set.currency().equals(entry.currency())) {
                continue;
            }
            String key = levelKey(set.id());
            Progress p = state.progress(entry.tenant(), entry.userId(), key);
            long points = p.value() + entry.points();
            int reached = 0;
            for (io.laurel.events.catalog.LevelDefinition.Level l : set.levels()) {
                if (points >= l.threshold()) {
                    reached++;
                }
            }
            for (int i = p.awards(); i < reached; i++) {
                io.laurel.events.catalog.LevelDefinition.Level l = set.levels().get(i);
                ups.add(new LevelUp(Award.idOf(entry.tenant(), entry.userId(), key, l.number()), entry.tenant(),
                        entry.userId(), set.id(), l.number(), l.name(), l.threshold(), at, entry.entryId()));
            }
            state.save(entry.tenant(), entry.userId(), key, new Progress(points, p.lastPeriod(), reached, p.sessions()));
        }
        return ups;
    }

    /**
     * A grant through the API (any kind of badge, typically {@code manual}): awarded unless the user already
     * holds a badge that is not repeatable.
     */
    public List<Award> grant(String tenant, String userId, BadgeDefinition badge, Instant at, String grantId,
                             ZoneId zone, BadgeState state) {
        if (!badge.active()) {
            return List.of();
        }
        Progress p = state.progress(tenant, userId, badge.id());
        if (p.awards() > 0 && !badge.repeatable()) {
            return List.of();
        }
        List<Award> awards = new ArrayList<>();
        state.save(tenant, userId, badge.id(), award(badge, p, tenant, userId, at, grantId, zone, awards, "granted"));
        return awards;
    }

    private Progress first(BadgeDefinition badge, Progress p, EventAccepted e, ZoneId zone, List<Award> awards) {
        if (p.awards() > 0) {
            return p;
        }
        return award(badge, p.withValue(1), e.tenant(), e.userId(), e.occurredAt(), e.eventId(), zone, awards,
                "first " + badge.eventType());
    }

    /** Count and points badges: awarded when the value reaches the threshold, and each further threshold if repeatable. */
    private Progress counted(BadgeDefinition badge, Progress p, String tenant, String userId, Instant at, String source,
                             ZoneId zone, List<Award> awards, String what) {
        long threshold = Math.max(1, badge.threshold() == null ? 1 : badge.threshold());
        Progress next = p;
        if (!badge.repeatable()) {
            if (next.awards() == 0 && next.value() >= threshold) {
                next = award(badge, next, tenant, userId, at, source, zone, awards, threshold + " " + what + "s");
            }
            return next;
        }
        while (next.value() >= (next.awards() + 1L) * threshold) {
            next = award(badge, next, tenant, userId, at, source, zone, awards,
                    (next.awards() + 1L) * threshold + " " + what + "s");
        }
        return next;
    }

    /** Streaks of consecutive days (or weeks from Monday) in the tenant's zone; an earlier day than the last counts for nothing. */
    private Progress streak(BadgeDefinition badge, Progress p, EventAccepted e, ZoneId zone, List<Award> awards) {
        long period = period(badge, e.occurredAt(), zone);
        long length;
        if (p.lastPeriod() == Progress.NO_PERIOD || period > p.lastPeriod() + 1) {
            length = 1;
        } else if (period == p.lastPeriod() + 1) {
            length = p.value() + 1;
        } else {
            return p; // the same day (or week) again, or one before the streak's last
        }
        Progress next = p.withStreak(length, period);
        long threshold = Math.max(1, badge.threshold() == null ? 1 : badge.threshold());
        boolean earned = badge.repeatable() ? length % threshold == 0 : next.awards() == 0 && length >= threshold;
        if (earned) {
            String unit = BadgeDefinition.WEEK.equals(badge.streakUnit()) ? "weeks" : "days";
            next = award(badge, next, e.tenant(), e.userId(), e.occurredAt(), e.eventId(), zone, awards,
                    length + " " + unit + " in a row");
        }
        return next;
    }

    /** The day (epoch day) or the week (epoch day of its Monday, divided by 7) of {@code at} in {@code zone}. */
    static long period(BadgeDefinition badge, Instant at, ZoneId zone) {
        return period(badge.streakUnit(), at, zone);
    }

    /** The streak period of {@code at} in {@code zone}: its day, or with {@code unit} {@code week} its week from Monday. */
    public static long period(String unit, Instant at, ZoneId zone) {
        LocalDate day = at.atZone(zone).toLocalDate();
        if (BadgeDefinition.WEEK.equals(unit)) {
            return Math.floorDiv(day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay(), 7);
        }
        return day.toEpochDay();
    }

    private Progress attendance(BadgeDefinition badge, Progress p, EventAccepted e, ZoneId zone, List<Award> awards) {
        Progress next = p;
        for (BadgeDefinition.Session session : badge.sessions()) {
            if (!session.covers(e.occurredAt()) || next.sessions().contains(session.id())
                    || !onTrack(session, e.eventData(), badge.trackField())) {
                continue;
            }
            next = next.attended(session.id());
            if (badge.repeatable() || next.awards() == 0) {
                next = award(badge, next, e.tenant(), e.userId(), e.occurredAt(), e.eventId(), zone, awards,
                        "attended " + session.id());
            }
        }
        return next;
    }

    /** A session without a track takes any event; one with a track only events whose track field equals it. */
    static boolean onTrack(BadgeDefinition.Session session, JsonNode data, String field) {
        if (session.track() == null) {
            return true;
        }
        JsonNode track = data == null ? null : data.get(field);
        return track != null && !track.isNull() && !track.isContainerNode() && session.track().equals(track.asText());
    }

    private static Progress award(BadgeDefinition badge, Progress p, String tenant, String userId, Instant at,
                                  String source, ZoneId zone, List<Award> awards, String reason) {
        Progress next = p.awarded();
        Period validity = badge.validity();
        Instant expires = validity == null ? null : at.atZone(zone).plus(validity).toInstant();
        awards.add(new Award(Award.idOf(tenant, userId, badge.id(), next.awards()), tenant, userId, badge.id(),
                badge.version(), next.awards(), at, expires, source, reason));
        return next;
    }

    private Expression expression(String text) {
        return expressions.computeIfAbsent(text, Expression::parse);
    }
}
