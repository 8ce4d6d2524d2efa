package io.laurel.scoring.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.Ids;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.RuleCap;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.expression.Expression;
import io.laurel.events.expression.ExpressionException;
import io.laurel.events.time.CalendarPeriod;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns one accepted event into journal entries (plain Java; what it must know of the past comes from a
 * {@link ScoringState}):
 * <ul>
 *   <li>a {@code create} of a user type: each rule on the type, in the version in effect when the event was
 *       received, awards its points (or its points expression, truncated toward zero) when its condition
 *       holds, within its cap for the period of the event's {@code occurred_at} in the tenant's time zone
 *       and its once-per-user limit; an award that would cross a points cap is cut to what is left;</li>
 *   <li>a {@code remove}: revokes, entry by entry, what the matching create was awarded, and gives the
 *       caps back;</li>
 *   <li>{@code score.manual}: a manual entry (a new score event) or an adjustment (a changed one);</li>
 *   <li>{@code points.redeemed}: a redeemed entry;</li>
 *   <li>{@code challenge.completed}: the challenge's reward in points, an awarded entry without a rule.</li>
 * </ul>
 * Entry ids derive from the event and what produced the entry, so the same event always yields the same
 * entries and a repeat is recognised downstream.
 */
public final class RulesEngine {
    static final long MAX_POINTS = 1_000_000_000_000L;
    private final Map<String, Expression> compiled = new ConcurrentHashMap<>();

    /** The entries for {@code event}; {@code rules} are the tenant's rules on its type (retired ones too). */
    public List<PointsEntry> score(EventAccepted event, List<RuleDefinition> rules, ZoneId zone, ScoringState state) {
        List<PointsEntry> entries;
        if (SystemTypes.SCORE_MANUAL.equals(event.eventType())) {
            entries = scoreEvent(event, zone, state);
        } else if (SystemTypes.POINTS_REDEEMED.equals(event.eventType())) {
            entries = redeemed(event);
        } else if (SystemTypes.CHALLENGE_COMPLETED.equals(event.eventType())) {
            entries = challengeReward(event);
        } else if (SystemTypes.POINTS_RECALCULATED.equals(event.eventType())) {
            entries = recalculated(event, rules, zone, state);
        } else if (event.eventAction() == EventAction.REMOVE) {
            entries = revoke(event, rules, zone, state);
        } else {
            entries = award(event, rules, zone, state, false);
        }
        state.recorded(event, entries);
        return entries;
    }

    /**
     * What the rules in effect now give the create {@code event} (a recalculation's dry run): each rule in its
     * current version, whenever the event was received, within its caps as {@code state} counts them. Retired
     * rules give nothing. Nothing is recorded in {@code state} but the caps used.
     */
    public List<PointsEntry> rescore(EventAccepted event, List<RuleDefinition> rules, ZoneId zone, ScoringState state) {
        if (SystemTypes.isSystem(event.eventType()) || event.eventAction() != EventAction.CREATE) {
            return List.of();
        }
        return award(event, rules, zone, state, true);
    }

    /**
     * The entry id of a recalculation's adjustment of one event in one currency: what makes posting it again
     * (a resumed apply, a replay) a repeat the journal counts once.
     */
    public static String adjustmentId(String recalculation, String eventId, String currency) {
        return Ids.derived(recalculation, eventId, currency, PointsEntryKind.ADJUSTED.wireName()).toString();
    }

    /**
     * A {@code points.recalculated} event: one adjusted entry per currency, carrying the original event's id,
     * type and time and the recalculation id; the rule and version when one rule accounts for the change.
     * The caps of each rule named count the difference, as if the event had been scored so. {@code rules} are
     * the rules on the original event's type.
     */
    private List<PointsEntry> recalculated(EventAccepted event, List<RuleDefinition> rules, ZoneId zone,
                                           ScoringState state) {
        JsonNode data = event.eventData();
        String recalculation = data.path("recalculation").asText(null);
        String eventId = data.path("event_id").asText(null);
        if (recalculation == null || eventId == null || !data.path("adjustments").isArray()) {
            throw new UnscorableEventException("a points.recalculated event needs recalculation, event_id and adjustments");
        }
        String eventType = data.path("event_type").asText(null);
        if (state.removed(event.tenant(), eventId)) {
            return List.of(); // removed since the dry run: it stays removed, nothing is adjusted
        }
        java.util.Map<String, List<JsonNode>> byCurrency = new java.util.TreeMap<>();
        for (JsonNode a : data.path("adjustments")) {
            if (!a.path("currency").isTextual() || !a.path("points").canConvertToLong()) {
                throw new UnscorableEventException("an adjustment needs a currency and points: " + a);
            }
            byCurrency.computeIfAbsent(a.path("currency").asText(), c -> new ArrayList<>()).add(a);
        }
        List<PointsEntry> entries = new ArrayList<>(byCurrency.size());
        for (var e : byCurrency.entrySet()) {
            long points = 0;
            java.util.Set<String> ruleIds = new java.util.TreeSet<>();
            Integer version = null;
            for (JsonNode a : e.getValue()) {
                points += a.path("points").asLong();
            }
            if (points == 0) {
                // no entry, so nothing would recognise a repeat: the caps do not move either
                continue;
            }
            for (JsonNode a : e.getValue()) {
                String ruleId = a.path("rule_id").isTextual() ? a.path("rule_id").asText() : null;
                if (ruleId != null) {
                    ruleIds.add(ruleId);
                    version = a.path("rule_version").canConvertToInt() ? a.path("rule_version").asInt() : null;
                    RuleDefinition v = versionOf(rules, ruleId, version);
                    if (v != null) {
                        for (CapKey key : limitKeys(event.tenant(), event.userId(), v, event.occurredAt(), zone)) {
                            state.addUsage(key, a.path("points").asLong(), a.path("count").asLong(0));
                        }
                    }
                }
            }
            boolean oneRule = ruleIds.size() == 1;
            entries.add(new PointsEntry(adjustmentId(recalculation, eventId, e.getKey()), event.tenant(), event.userId(),
                    eventId, oneRule ? ruleIds.iterator().next() : null, oneRule ? version : null, points, e.getKey(),
                    PointsEntryKind.ADJUSTED, event.occurredAt(), event.receivedAt(),
                    "Recalculated" + (ruleIds.isEmpty() ? "" : " (" + String.join(", ", ruleIds) + ")"),
                    event.groups(), recalculation, eventType, null));
        }
        return entries;
    }

    private List<PointsEntry> award(EventAccepted event, List<RuleDefinition> rules, ZoneId zone, ScoringState state,
                                    boolean current) {
        List<PointsEntry> entries = new ArrayList<>(rules.size());
        Expression.Context context = null;
        for (RuleDefinition rule : rules) {
            RuleDefinition v = current ? rule : rule.versionAt(event.receivedAt());
            if (v == null || !v.active() || !v.tenant().equals(event.tenant()) || !v.eventType().equals(event.eventType())) {
                continue;
            }
            if (context == null) {
                context = Expression.Context.of(event.userId(), event.eventType(), event.groups(), event.eventData());
            }
            if (v.condition() != null && !expression(v.condition()).test(context)) {
                continue;
            }
            long points = v.pointsExpression() == null ? v.points() : points(expression(v.pointsExpression()), context);
            if (points == 0) {
                continue;
            }
            List<CapKey> keys = limitKeys(event.tenant(), event.userId(), v, event.occurredAt(), zone);
            boolean cut = false;
            boolean refused = false;
            for (CapKey key : keys) {
                CapUsage used = state.usage(key);
                if (key.scope().equals(CapKey.ONCE)) {
                    refused |= used.count() >= 1;
                    continue;
                }
                RuleCap cap = v.cap();
                if (cap.maxCount() != null && used.count() >= cap.maxCount()) {
                    refused = true;
                }
                if (cap.maxPoints() != null && points > 0) {
                    long left = cap.maxPoints() - used.points();
                    if (left <= 0) {
                        refused = true;
                    } else if (points > left) {
                        points = left;
                        cut = true;
                    }
                }
            }
            if (refused) {
                continue;
            }
            for (CapKey key : keys) {
                state.addUsage(key, points, 1);
            }
            String id = Ids.derived(event.eventId(), v.id(), Integer.toString(v.version()),
                    PointsEntryKind.AWARDED.wireName()).toString();
            entries.add(new PointsEntry(id, event.tenant(), event.userId(), event.eventId(), v.id(), v.version(), points,
                    v.currency(), PointsEntryKind.AWARDED, event.occurredAt(), event.receivedAt(),
                    cut ? v.name() + " (capped)" : v.name(), event.groups(), null, event.eventType(), null));
        }
        return entries;
    }

    private List<PointsEntry> revoke(EventAccepted remove, List<RuleDefinition> rules, ZoneId zone, ScoringState state) {
        List<PointsEntry> awards = state.awardsToReverse(remove);
        List<PointsEntry> entries = new ArrayList<>(awards.size());
        // an event counts once against a rule's count cap while its points from the rule are not 0 (an award
        // counts one; an adjustment moves the count when it crosses 0): the revocation gives back that one
        java.util.Map<String, Long> netByRule = new java.util.HashMap<>();
        for (PointsEntry award : awards) {
            if (award.ruleId() != null) {
                netByRule.merge(award.ruleId(), award.points(), Long::sum);
            }
        }
        java.util.Set<String> countGivenBack = new java.util.HashSet<>();
        for (PointsEntry award : awards) {
            RuleDefinition v = versionOf(rules, award.ruleId(), award.ruleVersion());
            if (v != null) {
                long count = countGivenBack.add(award.ruleId()) && netByRule.getOrDefault(award.ruleId(), 0L) != 0 ? -1 : 0;
                for (CapKey key : limitKeys(award.tenant(), award.userId(), v, award.occurredAt(), zone)) {
                    state.addUsage(key, -award.points(), count);
                }
            }
            String id = Ids.derived(remove.eventId(), award.entryId(), PointsEntryKind.REVOKED.wireName()).toString();
            entries.add(new PointsEntry(id, award.tenant(), award.userId(), remove.eventId(), award.ruleId(),
                    award.ruleVersion(), -award.points(), award.currency(), PointsEntryKind.REVOKED, award.occurredAt(),
                    remove.receivedAt(), "Revoked: " + award.description(), award.groups(), null, remove.eventType(),
                    award.entryId()));
        }
        return entries;
    }

    /**
     * A challenge's reward: {@code event_data.points} of {@code event_data.currency} (default {@code points}),
     * an awarded entry without a rule; a completion without points gives nothing.
     */
    private static List<PointsEntry> challengeReward(EventAccepted event) {
        JsonNode data = event.eventData();
        long points = data == null ? 0 : data.path("points").asLong(0);
        if (points == 0 || event.eventAction() != EventAction.CREATE) {
            return List.of();
        }
        points = Math.max(-MAX_POINTS, Math.min(MAX_POINTS, points));
        String currency = data.path("currency").isTextual() ? data.path("currency").asText() : "points";
        String name = data.path("challenge_name").isTextual() ? data.path("challenge_name").asText()
                : data.path("challenge_id").asText("challenge");
        String id = Ids.derived(event.eventId(), PointsEntryKind.AWARDED.wireName()).toString();
        return List.of(new PointsEntry(id, event.tenant(), event.userId(), event.eventId(), null, null, points, currency,
                PointsEntryKind.AWARDED, event.occurredAt(), event.receivedAt(), "Challenge completed: " + name,
                event.groups(), null, event.eventType(), null));
    }

    private List<PointsEntry> scoreEvent(EventAccepted event, ZoneId zone, ScoringState state) {
        JsonNode data = event.eventData();
        String description = data.path("description").isTextual() ? data.path("description").asText() : null;
        String changes = data.path("score_event_id").isTextual() ? data.path("score_event_id").asText() : null;
        if (changes == null) {
            long points = data.path("points").asLong();
            LocalDate date = data.path("date").isTextual() ? LocalDate.parse(data.path("date").asText())
                    : event.occurredAt().atZone(zone).toLocalDate();
            state.scoreEventChanged(new ScoringState.ScoreEvent(event.tenant(), event.eventId(), event.userId(), date,
                    points, description, event.occurredAt(), event.receivedAt(), event.receivedAt()));
            if (points == 0) {
                return List.of();
            }
            String id = Ids.derived(event.eventId(), PointsEntryKind.MANUAL.wireName()).toString();
            return List.of(new PointsEntry(id, event.tenant(), event.userId(), event.eventId(), null, null, points,
                    "points", PointsEntryKind.MANUAL, event.occurredAt(), event.receivedAt(),
                    description == null ? "Score event" : description, event.groups(), null, event.eventType(), null));
        }
        ScoringState.ScoreEvent current = state.scoreEvent(event.tenant(), changes);
        if (current == null || !current.userId().equals(event.userId())) {
            throw new UnscorableEventException("score event " + changes + " of user " + event.userId()
                    + " does not exist in tenant " + event.tenant());
        }
        long points = data.has("points") && !data.get("points").isNull() ? data.get("points").asLong() : current.points();
        String newDescription = data.has("description") ? description : current.description();
        state.scoreEventChanged(new ScoringState.ScoreEvent(current.tenant(), current.id(), current.userId(),
                current.date(), points, newDescription, current.occurredAt(), current.createdAt(), event.receivedAt()));
        long delta = points - current.points();
        if (delta == 0) {
            return List.of();
        }
        String id = Ids.derived(event.eventId(), PointsEntryKind.ADJUSTED.wireName()).toString();
        return List.of(new PointsEntry(id, event.tenant(), event.userId(), event.eventId(), null, null, delta, "points",
                PointsEntryKind.ADJUSTED, current.occurredAt(), event.receivedAt(),
                "Score event changed: " + (newDescription == null ? current.id() : newDescription), event.groups(), null,
                event.eventType(), null));
    }

    private static List<PointsEntry> redeemed(EventAccepted event) {
        JsonNode data = event.eventData();
        long points = data.path("points").asLong();
        if (points <= 0) {
            throw new UnscorableEventException("a redemption of " + points + " points");
        }
        String currency = data.path("currency").isTextual() ? data.path("currency").asText() : "points";
        String description = data.path("description").isTextual() ? data.path("description").asText() : "Redeemed";
        String id = Ids.derived(event.eventId(), PointsEntryKind.REDEEMED.wireName()).toString();
        return List.of(new PointsEntry(id, event.tenant(), event.userId(), event.eventId(), null, null, -points, currency,
                PointsEntryKind.REDEEMED, event.occurredAt(), event.receivedAt(), description, event.groups(), null,
                event.eventType(), null));
    }

    /** The counters an award of rule version {@code v} at {@code occurredAt} counts against. */
    public static List<CapKey> limitKeys(String tenant, String userId, RuleDefinition v, Instant occurredAt, ZoneId zone) {
        if (v.cap() == null && !v.oncePerUser()) {
            return List.of();
        }
        List<CapKey> keys = new ArrayList<>(2);
        if (v.cap() != null) {
            CalendarPeriod period = v.cap().period();
            keys.add(new CapKey(tenant, userId, v.id(), CapKey.CAP + ":" + period.wireName(), period.start(occurredAt, zone)));
        }
        if (v.oncePerUser()) {
            keys.add(new CapKey(tenant, userId, v.id(), CapKey.ONCE, CalendarPeriod.EPOCH));
        }
        return keys;
    }

    private static RuleDefinition versionOf(List<RuleDefinition> rules, String ruleId, Integer version) {
        if (ruleId == null || version == null) {
            return null;
        }
        for (RuleDefinition r : rules) {
            if (r.id().equals(ruleId)) {
                if (r.version() == version) {
                    return r;
                }
                for (RuleDefinition p : r.previousVersions()) {
                    if (p.version() == version) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    private static long points(Expression e, Expression.Context context) {
        BigDecimal value = e.number(context);
        if (value == null) {
            return 0;
        }
        BigDecimal whole = value.setScale(0, RoundingMode.DOWN);
        if (whole.abs().compareTo(BigDecimal.valueOf(MAX_POINTS)) > 0) {
            return whole.signum() * MAX_POINTS;
        }
        return whole.longValueExact();
    }

    private Expression expression(String text) {
        Expression e = compiled.get(text);
        if (e == null) {
            try {
                e = Expression.parse(text);
            } catch (ExpressionException invalid) {
                // the catalog only stores parsed expressions; a newer writer's syntax cannot be applied here
                throw new UnscorableEventException("expression '" + text + "' cannot be parsed: " + invalid.getMessage());
            }
            if (compiled.size() > 10_000) {
                compiled.clear();
            }
            compiled.put(text, e);
        }
        return e;
    }
}
