package io.laurel.scoring.recalc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.catalog.RuleCap;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.time.CalendarPeriod;
import io.laurel.scoring.rule.CapKey;
import io.laurel.scoring.rule.CapUsage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dry run's arithmetic, with expected figures worked out by hand in each test (not by the rules engine).
 */
class RecalculatorTest {
    private static final Instant DEFINED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");

    private final Map<String, Recalculator.JournalEvent> journal = new HashMap<>();
    private final Map<CapKey, CapUsage> seeds = new HashMap<>();
    private final List<CapKey> seedsAsked = new ArrayList<>();
    private int ids;

    private static RuleDefinition rule(String id, String type, long points, String currency, RuleCap cap, boolean once,
                                       boolean active, int version) {
        return new RuleDefinition("acme", id, "rule " + id, type, points, currency, null, null, cap, once, active, version,
                DEFINED, DEFINED.plusSeconds(version), null);
    }

    private static RuleDefinition rule(String id, long points) {
        return rule(id, "like", points, "points", null, false, true, 2);
    }

    private EventAccepted event(String tenant, String user, String type, EventAction action, String key, Instant occurred) {
        return new EventAccepted("e" + (++ids), tenant, type, 1, user, JsonNodeFactory.instance.objectNode(), action, key,
                occurred, occurred.plusSeconds(5), List.of("g1"));
    }

    private EventAccepted like(String user, Instant occurred) {
        return event("acme", user, "like", EventAction.CREATE, null, occurred);
    }

    private void scored(EventAccepted e, String currency, String ruleId, long points) {
        journal.computeIfAbsent(e.eventId(), k -> new Recalculator.JournalEvent(e.userId(), new HashMap<>(), false))
                .points().merge(new Recalculator.RuleKey(currency, ruleId), points, Long::sum);
    }

    private void revoked(EventAccepted e) {
        journal.put(e.eventId(), new Recalculator.JournalEvent(e.userId(), new HashMap<>(), true));
    }

    private Recalculator recalculator(Recalculator.Window window, List<RuleDefinition> rules, ZoneId zone) {
        return new Recalculator("acme", window, type -> rules.stream().filter(r -> r.eventType().equals(type)).toList(),
                zone, journal, key -> {
                    seedsAsked.add(key);
                    return seeds.getOrDefault(key, CapUsage.NONE);
                });
    }

    private static Recalculator.Window from(Instant from) {
        return new Recalculator.Window(from, null, null, null);
    }

    private static long delta(List<Recalculator.EventChange> changes, String user, String currency) {
        long[] v = Recalculator.perUser(changes).get(List.of(user, currency));
        return v == null ? 0 : v[1] - v[0];
    }

    @Test
    void aRuleRaisedFrom10To20AddsTenPerEventFromTheDateOnly() {
        List<EventAccepted> events = List.of(
                like("ann", FROM.minusSeconds(3600)), like("ann", FROM.plusSeconds(60)), like("ann", FROM.plusSeconds(120)),
                like("bob", FROM.plusSeconds(30)), like("bob", FROM.minusSeconds(10)));
        events.forEach(e -> scored(e, "points", "r1", 10));
        Recalculator r = recalculator(from(FROM), List.of(rule("r1", 20)), ZoneOffset.UTC);
        events.forEach(r::accept);

        List<Recalculator.EventChange> changes = r.changes();
        // ann: two events on or after FROM (+10 each); bob: one (+10); the two before FROM keep their 10
        assertThat(r.eventsScanned()).isEqualTo(3);
        assertThat(changes).extracting(Recalculator.EventChange::eventId).containsExactly("e2", "e3", "e4");
        assertThat(delta(changes, "ann", "points")).isEqualTo(20);
        assertThat(delta(changes, "bob", "points")).isEqualTo(10);
        Recalculator.Item item = changes.get(0).items().get(0);
        assertThat(item).isEqualTo(new Recalculator.Item("points", "r1", 2, 10, 20, 0));
        assertThat(changes.get(0).occurredAt()).isEqualTo(FROM.plusSeconds(60));
        assertThat(changes.get(0).groups()).containsExactly("g1");
    }

    @Test
    void theWindowEndIsExclusiveAndItsStartInclusive() {
        Instant to = FROM.plusSeconds(3600);
        EventAccepted atFrom = like("ann", FROM);
        EventAccepted atTo = like("ann", to);
        EventAccepted justBefore = like("ann", to.minusMillis(1));
        List.of(atFrom, atTo, justBefore).forEach(e -> scored(e, "points", "r1", 10));
        Recalculator r = recalculator(new Recalculator.Window(FROM, to, null, null), List.of(rule("r1", 15)), ZoneOffset.UTC);
        List.of(atFrom, atTo, justBefore).forEach(r::accept);
        assertThat(r.changes()).extracting(Recalculator.EventChange::eventId)
                .containsExactly(atFrom.eventId(), justBefore.eventId());
        assertThat(delta(r.changes(), "ann", "points")).isEqualTo(10);
    }

    @Test
    void aDailyCapThatStraddlesFromStartsWithWhatTheEventsBeforeFromWereGiven() {
        // cap 50 a day in Zurich; the window starts at noon Zurich time on 2026-03-01
        RuleCap cap = new RuleCap(CalendarPeriod.DAY, 50L, null);
        RuleDefinition r1 = rule("r1", "like", 20, "points", cap, false, true, 2);
        Instant from = Instant.parse("2026-03-01T11:00:00Z"); // 12:00 in Zurich
        Instant dayStart = Instant.parse("2026-02-28T23:00:00Z");
        // the morning's events keep their 2 x 10 = 20 of the cap (journal); 30 is left for the afternoon
        seeds.put(new CapKey("acme", "ann", "r1", "cap:day", dayStart), new CapUsage(20, 2));
        List<EventAccepted> afternoon = List.of(like("ann", from.plusSeconds(60)), like("ann", from.plusSeconds(120)),
                like("ann", from.plusSeconds(180)));
        afternoon.forEach(e -> scored(e, "points", "r1", 10)); // the old rule gave 10 each: 30
        Recalculator r = recalculator(from(from), List.of(r1), ZURICH);
        afternoon.forEach(r::accept);

        // now 20, 10 (capped: 30 left - 20 = 10), 0 (cap reached): 30 in all, as before: no change in sum,
        // but the first gains 10, the second keeps 10 and the third loses 10
        List<Recalculator.EventChange> changes = r.changes();
        assertThat(changes).extracting(Recalculator.EventChange::eventId)
                .containsExactly(afternoon.get(0).eventId(), afternoon.get(2).eventId());
        assertThat(changes.get(0).items().get(0).delta()).isEqualTo(10);
        assertThat(changes.get(1).items().get(0).delta()).isEqualTo(-10);
        assertThat(changes.get(1).items().get(0).count()).isEqualTo(-1);
        assertThat(delta(changes, "ann", "points")).isZero();
        assertThat(seedsAsked).containsExactly(new CapKey("acme", "ann", "r1", "cap:day", dayStart));
    }

    @Test
    void aCapPeriodInsideTheWindowStartsEmptyWithoutAskingTheJournal() {
        RuleCap cap = new RuleCap(CalendarPeriod.DAY, 25L, null);
        RuleDefinition r1 = rule("r1", "like", 10, "points", cap, false, true, 2);
        List<EventAccepted> day = List.of(like("ann", FROM.plusSeconds(3600)), like("ann", FROM.plusSeconds(7200)),
                like("ann", FROM.plusSeconds(9000)));
        Recalculator r = recalculator(from(FROM), List.of(r1), ZoneOffset.UTC);
        day.forEach(r::accept);
        // nothing in the journal: 10 + 10 + 5 (capped) = 25 new
        assertThat(delta(r.changes(), "ann", "points")).isEqualTo(25);
        assertThat(seedsAsked).isEmpty();
    }

    @Test
    void removedEventsStayRemoved() {
        EventAccepted gone = like("ann", FROM.plusSeconds(10));
        revoked(gone); // its award was revoked by a remove: net 0 in the journal
        EventAccepted keyed = event("acme", "ann", "like", EventAction.CREATE, "k-1", FROM.plusSeconds(20));
        EventAccepted remove = event("acme", "ann", "like", EventAction.REMOVE, "k-1", FROM.plusSeconds(30));
        Recalculator r = recalculator(from(FROM), List.of(rule("r1", 20)), ZoneOffset.UTC);
        List.of(gone, keyed, remove).forEach(r::accept);
        // the keyed create had nothing in the journal (say the rule did not exist): removed, it still gets nothing
        assertThat(r.changes()).isEmpty();
        assertThat(r.eventsScanned()).isEqualTo(2);
    }

    @Test
    void aRemovedCreateGivesItsCapBackToTheEventsAfterTheRemove() {
        RuleCap byCount = new RuleCap(CalendarPeriod.DAY, null, 1L);
        RuleDefinition r1 = rule("r1", "like", 10, "points", byCount, false, true, 2);
        EventAccepted first = event("acme", "ann", "like", EventAction.CREATE, "k-1", FROM.plusSeconds(10));
        EventAccepted remove = event("acme", "ann", "like", EventAction.REMOVE, "k-1", FROM.plusSeconds(20));
        EventAccepted second = like("ann", FROM.plusSeconds(30));
        Recalculator r = recalculator(from(FROM), List.of(r1), ZoneOffset.UTC);
        List.of(first, remove, second).forEach(r::accept);
        // first: awarded then removed (0); second: the day's one award is free again: 10, the journal had 0
        assertThat(r.changes()).extracting(Recalculator.EventChange::eventId).containsExactly(second.eventId());
        assertThat(delta(r.changes(), "ann", "points")).isEqualTo(10);
    }

    @Test
    void systemTypesOtherTenantsAndRepeatsAreLeftAlone() {
        EventAccepted manual = event("acme", "ann", "score.manual", EventAction.CREATE, null, FROM.plusSeconds(1));
        EventAccepted redeemed = event("acme", "ann", "points.redeemed", EventAction.CREATE, null, FROM.plusSeconds(2));
        EventAccepted reward = event("acme", "ann", "challenge.completed", EventAction.CREATE, null, FROM.plusSeconds(3));
        EventAccepted other = event("globex", "ann", "like", EventAction.CREATE, null, FROM.plusSeconds(4));
        EventAccepted like = like("ann", FROM.plusSeconds(5));
        scored(manual, "points", null, 500);
        scored(like, "points", "r1", 10);
        Recalculator r = recalculator(from(FROM), List.of(rule("r1", 12)), ZoneOffset.UTC);
        List.of(manual, redeemed, reward, other, like, like).forEach(r::accept);
        assertThat(r.eventsScanned()).isEqualTo(1);
        assertThat(r.changes()).hasSize(1);
        assertThat(delta(r.changes(), "ann", "points")).isEqualTo(2);
    }

    @Test
    void filtersByEventTypeAndUser() {
        RuleDefinition likes = rule("r1", 20);
        RuleDefinition posts = rule("r2", "post", 5, "points", null, false, true, 2);
        EventAccepted annLike = like("ann", FROM.plusSeconds(1));
        EventAccepted bobLike = like("bob", FROM.plusSeconds(2));
        EventAccepted annPost = event("acme", "ann", "post", EventAction.CREATE, null, FROM.plusSeconds(3));
        List.of(annLike, bobLike).forEach(e -> scored(e, "points", "r1", 10));
        scored(annPost, "points", "r2", 1);
        Recalculator r = recalculator(new Recalculator.Window(FROM, null, Set.of("like"), Set.of("ann")),
                List.of(likes, posts), ZoneOffset.UTC);
        List.of(annLike, bobLike, annPost).forEach(r::accept);
        assertThat(r.changes()).extracting(Recalculator.EventChange::eventId).containsExactly(annLike.eventId());
    }

    @Test
    void aNewRuleAppliesToHistoryAndARetiredOneTakesBackWhatItGave() {
        RuleDefinition retired = rule("old", "like", 10, "points", null, false, false, 3);
        RuleDefinition added = rule("new", "like", 3, "coins", null, false, true, 1);
        EventAccepted e = like("ann", FROM.plusSeconds(1));
        scored(e, "points", "old", 10);
        Recalculator r = recalculator(from(FROM), List.of(retired, added), ZoneOffset.UTC);
        r.accept(e);
        Recalculator.EventChange c = r.changes().get(0);
        assertThat(c.items()).containsExactly(new Recalculator.Item("coins", "new", 1, 0, 3, 1),
                new Recalculator.Item("points", "old", 3, 10, 0, -1));
        assertThat(c.byCurrency()).containsOnlyKeys("coins", "points");
        assertThat(delta(r.changes(), "ann", "points")).isEqualTo(-10);
        assertThat(delta(r.changes(), "ann", "coins")).isEqualTo(3);
    }

    @Test
    void aLateEventCountsByWhenItOccurred() {
        // received long after the others, but it occurred inside the window: it is recalculated
        EventAccepted late = new EventAccepted("late-1", "acme", "like", 1, "ann", JsonNodeFactory.instance.objectNode(),
                EventAction.CREATE, null, FROM.plusSeconds(5), FROM.plusSeconds(90 * 24 * 3600), List.of());
        EventAccepted early = like("ann", FROM.minusSeconds(5));
        scored(late, "points", "r1", 10);
        scored(early, "points", "r1", 10);
        Recalculator r = recalculator(from(FROM), List.of(rule("r1", 25)), ZoneOffset.UTC);
        List.of(early, late).forEach(r::accept);
        assertThat(r.changes()).extracting(Recalculator.EventChange::eventId).containsExactly("late-1");
        assertThat(delta(r.changes(), "ann", "points")).isEqualTo(15);
    }

    @Test
    void onceAUserLimitHeldBeforeTheWindowIsRespected() {
        RuleDefinition once = rule("welcome", "like", 100, "points", null, true, true, 2);
        seeds.put(new CapKey("acme", "ann", "welcome", CapKey.ONCE, CalendarPeriod.EPOCH), new CapUsage(50, 1));
        EventAccepted ann = like("ann", FROM.plusSeconds(1));
        EventAccepted bob = like("bob", FROM.plusSeconds(2));
        Recalculator r = recalculator(from(FROM), List.of(once), ZoneOffset.UTC);
        List.of(ann, bob).forEach(r::accept);
        // ann had it before the window; bob never did: he gets the 100 now
        assertThat(r.changes()).extracting(Recalculator.EventChange::userId).containsExactly("bob");
        assertThat(delta(r.changes(), "bob", "points")).isEqualTo(100);
    }

    @Test
    void anEarlierAdjustmentCountsAsPartOfWhatTheJournalHolds() {
        EventAccepted e = like("ann", FROM.plusSeconds(1));
        scored(e, "points", "r1", 10);
        scored(e, "points", "r1", 10); // a first recalculation's +10
        Recalculator r = recalculator(from(FROM), List.of(rule("r1", 20)), ZoneOffset.UTC);
        r.accept(e);
        assertThat(r.changes()).isEmpty();
    }

    @Test
    void aWindowContainsAPeriodOnlyWhenItCoversAllOfIt() {
        Recalculator.Window w = new Recalculator.Window(FROM, FROM.plusSeconds(86_400), null, null);
        assertThat(w.contains(FROM, FROM.plusSeconds(86_400))).isTrue();
        assertThat(w.contains(FROM.minusSeconds(1), FROM.plusSeconds(86_400))).isFalse();
        assertThat(w.contains(FROM, FROM.plusSeconds(86_401))).isFalse();
        assertThat(w.contains(FROM, Instant.MAX)).isFalse();
        assertThat(new Recalculator.Window(null, null, null, null).contains(Instant.EPOCH, Instant.MAX)).isTrue();
    }

    @Test
    void perUserAddsUpEveryEventOfTheUserPerCurrency() {
        List<Recalculator.EventChange> changes = List.of(
                new Recalculator.EventChange("a", "ann", "like", FROM, null, List.of(),
                        List.of(new Recalculator.Item("points", "r1", 1, 10, 20, 0))),
                new Recalculator.EventChange("b", "ann", "like", FROM, null, List.of(),
                        List.of(new Recalculator.Item("points", "r1", 1, 10, 5, 0),
                                new Recalculator.Item("coins", "r2", 1, 0, 7, 1))));
        Map<List<String>, long[]> perUser = Recalculator.perUser(changes);
        assertThat(perUser.get(List.of("ann", "points"))).containsExactly(20, 25);
        assertThat(perUser.get(List.of("ann", "coins"))).containsExactly(0, 7);
    }
}
