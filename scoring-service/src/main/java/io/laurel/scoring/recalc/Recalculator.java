package io.laurel.scoring.recalc;

import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.scoring.rule.CapKey;
import io.laurel.scoring.rule.CapUsage;
import io.laurel.scoring.rule.RulesEngine;
import io.laurel.scoring.rule.ScoringState;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A recalculation's dry run over one tenant's events, in the order of the log (plain Java: the events, the
 * rules, what the journal holds and how caps start come from outside). Each create of a user type in the
 * window is scored again with every rule in its current version ({@link RulesEngine#rescore}) and compared,
 * rule by rule, with what the journal holds for it.
 *
 * <ul>
 *   <li>Caps are counted afresh in the tenant's zone: a counter starts with what {@link CapSeed} says the
 *       journal holds for the events outside the window in that period (they are not scored again and keep
 *       their points), then the window's events use what is left, in the order of the log.</li>
 *   <li>A removed event stays removed: one whose awards the journal shows revoked, or a create whose
 *       idempotence key a later remove names, gets nothing (and gives its caps back at the remove).</li>
 *   <li>System types (manual score events, redemptions, challenge rewards, adjustments) are not rule-scored
 *       and are left alone; a repeat of an event id counts once.</li>
 * </ul>
 */
public final class Recalculator {
    private final String tenant;
    private final Window window;
    private final Function<String, List<RuleDefinition>> rulesFor;
    private final ZoneId zone;
    private final Map<String, JournalEvent> journal;
    private final RulesEngine engine = new RulesEngine();
    private final Caps caps;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Scored> scored = new LinkedHashMap<>();
    private final Map<String, String> createByKey = new HashMap<>();
    private long eventsScanned;

    /** The events a recalculation covers: {@code occurred_at} in [from, to) (null: open), and the filters. */
    public record Window(Instant from, Instant to, Set<String> eventTypes, Set<String> userIds) {
        public boolean covers(EventAccepted e) {
            return covers(e.occurredAt()) && (eventTypes == null || eventTypes.contains(e.eventType()))
                    && (userIds == null || userIds.contains(e.userId()));
        }

        public boolean covers(Instant t) {
            return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
        }

        /** Whether every instant of [start, end) lies in the window (end null: unbounded). */
        public boolean contains(Instant start, Instant end) {
            return (from == null || !start.isBefore(from)) && (to == null || (end != null && !end.isAfter(to)));
        }
    }

    /** Points of one rule (null: an entry without one) in one currency. */
    public record RuleKey(String currency, String ruleId) {
    }

    /** What the journal holds for one event: net points per currency and rule, and whether a remove revoked it. */
    public record JournalEvent(String userId, Map<RuleKey, Long> points, boolean revoked) {
    }

    /** The usage of a cap counter by the journal's entries of events outside the window. */
    @FunctionalInterface
    public interface CapSeed {
        CapUsage outside(CapKey key);
    }

    /** One rule's share of an event's change. {@code count} is the change of the award count (caps by count). */
    public record Item(String currency, String ruleId, Integer ruleVersion, long before, long after, int count) {
        public long delta() {
            return after - before;
        }
    }

    /** An event whose points change: what to post for it, per currency and rule. */
    public record EventChange(String eventId, String userId, String eventType, Instant occurredAt,
                              String idempotenceKey, List<String> groups, List<Item> items) {
        /** The change per currency (one adjusted entry each), currencies in order. */
        public Map<String, long[]> byCurrency() {
            Map<String, long[]> m = new java.util.TreeMap<>();
            for (Item i : items) {
                long[] v = m.computeIfAbsent(i.currency(), c -> new long[2]);
                v[0] += i.before();
                v[1] += i.after();
            }
            m.values().removeIf(v -> v[0] == v[1]);
            return m;
        }
    }

    private record Scored(EventAccepted event, Map<RuleKey, long[]> points, boolean removed) {
        // points: {points, rule version}
    }

    public Recalculator(String tenant, Window window, Function<String, List<RuleDefinition>> rulesFor, ZoneId zone,
                        Map<String, JournalEvent> journal, CapSeed seed) {
        this.tenant = Objects.requireNonNull(tenant);
        this.window = Objects.requireNonNull(window);
        this.rulesFor = rulesFor;
        this.zone = zone;
        this.journal = journal;
        this.caps = new Caps(seed, window, zone);
    }

    /** The tenant's events of the window scored so far. */
    public long eventsScanned() {
        return eventsScanned;
    }

    /** The next event of the log (any tenant's; others are ignored). */
    public void accept(EventAccepted e) {
        if (!tenant.equals(e.tenant()) || !e.isComplete() || SystemTypes.isSystem(e.eventType())) {
            return;
        }
        if (!seen.add(e.eventId() + (e.eventAction() == EventAction.REMOVE ? "/remove" : ""))) {
            return;
        }
        if (e.eventAction() == EventAction.REMOVE) {
            remove(e);
            return;
        }
        if (!window.covers(e)) {
            return;
        }
        eventsScanned++;
        JournalEvent j = journal.get(e.eventId());
        if (e.idempotenceKey() != null) {
            createByKey.put(keyOf(e), e.eventId());
        }
        if (j != null && j.revoked()) {
            scored.put(e.eventId(), new Scored(e, Map.of(), true));
            return;
        }
        Map<RuleKey, long[]> points = new HashMap<>(2);
        for (PointsEntry p : engine.rescore(e, rulesFor.apply(e.eventType()), zone, caps)) {
            points.merge(new RuleKey(p.currency(), p.ruleId()), new long[]{p.points(), p.ruleVersion()},
                    (a, b) -> new long[]{a[0] + b[0], b[1]});
        }
        scored.put(e.eventId(), new Scored(e, points, false));
    }

    private void remove(EventAccepted remove) {
        if (remove.idempotenceKey() == null) {
            return; // a remove without a key undid what the journal shows revoked
        }
        String eventId = createByKey.remove(keyOf(remove));
        Scored s = eventId == null ? null : scored.get(eventId);
        if (s == null || s.removed()) {
            return;
        }
        for (var p : s.points().entrySet()) {
            RuleDefinition v = rule(s.event().eventType(), p.getKey().ruleId());
            if (v != null) {
                for (CapKey key : RulesEngine.limitKeys(tenant, s.event().userId(), v, s.event().occurredAt(), zone)) {
                    caps.addUsage(key, -p.getValue()[0], -1);
                }
            }
        }
        scored.put(eventId, new Scored(s.event(), Map.of(), true));
    }

    private RuleDefinition rule(String eventType, String ruleId) {
        for (RuleDefinition r : rulesFor.apply(eventType)) {
            if (r.id().equals(ruleId)) {
                return r;
            }
        }
        return null;
    }

    private static String keyOf(EventAccepted e) {
        return e.userId() + '\u0000' + e.eventType() + '\u0000' + e.idempotenceKey();
    }

    /** The events whose points change, in the order of the log. */
    public List<EventChange> changes() {
        List<EventChange> changes = new ArrayList<>();
        for (Scored s : scored.values()) {
            JournalEvent j = journal.get(s.event().eventId());
            Map<RuleKey, Long> before = j == null ? Map.of() : j.points();
            Set<RuleKey> keys = new TreeSet<>(java.util.Comparator.comparing(RuleKey::currency)
                    .thenComparing(RuleKey::ruleId, java.util.Comparator.nullsFirst(String::compareTo)));
            keys.addAll(before.keySet());
            keys.addAll(s.points().keySet());
            List<Item> items = new ArrayList<>(keys.size());
            boolean changed = false;
            for (RuleKey k : keys) {
                long b = before.getOrDefault(k, 0L);
                long[] a = s.points().get(k);
                long after = a == null ? 0 : a[0];
                Integer version = a == null ? null : (int) a[1];
                if (version == null && k.ruleId() != null) {
                    RuleDefinition r = rule(s.event().eventType(), k.ruleId());
                    version = r == null ? null : r.version();
                }
                int count = k.ruleId() == null ? 0 : (after != 0 ? 1 : 0) - (b != 0 ? 1 : 0);
                if (b != after) {
                    changed = true;
                    items.add(new Item(k.currency(), k.ruleId(), version, b, after, count));
                }
            }
            if (changed) {
                EventAccepted e = s.event();
                changes.add(new EventChange(e.eventId(), e.userId(), e.eventType(), e.occurredAt(), e.idempotenceKey(),
                        e.groups(), items));
            }
        }
        return changes;
    }

    /** Totals of a set of changes per user and currency: {before, after} of the window's points. */
    public static Map<List<String>, long[]> perUser(List<EventChange> changes) {
        Map<List<String>, long[]> m = new LinkedHashMap<>();
        for (EventChange c : changes) {
            for (var e : c.byCurrency().entrySet()) {
                long[] v = m.computeIfAbsent(List.of(c.userId(), e.getKey()), k -> new long[2]);
                v[0] += e.getValue()[0];
                v[1] += e.getValue()[1];
            }
        }
        return m;
    }

    /** Cap counters of the dry run, seeded on first use. */
    private static final class Caps implements ScoringState {
        private final CapSeed seed;
        private final Window window;
        private final ZoneId zone;
        private final Map<CapKey, CapUsage> usage = new HashMap<>();

        Caps(CapSeed seed, Window window, ZoneId zone) {
            this.seed = seed;
            this.window = window;
            this.zone = zone;
        }

        @Override
        public CapUsage usage(CapKey key) {
            CapUsage u = usage.get(key);
            if (u == null) {
                u = insideWindow(key) ? CapUsage.NONE : seed.outside(key);
                usage.put(key, u);
            }
            return u;
        }

        private boolean insideWindow(CapKey key) {
            if (key.scope().equals(CapKey.ONCE)) {
                return window.from() == null && window.to() == null;
            }
            io.laurel.events.time.CalendarPeriod period = io.laurel.events.time.CalendarPeriod.parse(
                    key.scope().substring(CapKey.CAP.length() + 1));
            return window.contains(key.periodStart(), period.end(key.periodStart(), zone));
        }

        @Override
        public void addUsage(CapKey key, long points, long count) {
            usage.put(key, usage(key).plus(points, count));
        }

        @Override
        public List<PointsEntry> awardsToReverse(EventAccepted remove) {
            return List.of();
        }

        @Override
        public boolean removed(String tenant, String eventId) {
            return false;
        }

        @Override
        public void recorded(EventAccepted source, List<PointsEntry> entries) {
        }

        @Override
        public ScoreEvent scoreEvent(String tenant, String scoreEventId) {
            return null;
        }

        @Override
        public void scoreEventChanged(ScoreEvent scoreEvent) {
        }
    }
}
