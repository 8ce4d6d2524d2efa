package io.laurel.scoring.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.SystemTypes;
import io.laurel.events.catalog.RuleCap;
import io.laurel.events.catalog.RuleDefinition;
import io.laurel.events.json.LaurelJson;
import io.laurel.events.time.CalendarPeriod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesEngineTest {
    private static final Instant DEFINED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant OCCURRED = Instant.parse("2026-05-01T08:00:00Z");
    private static final Instant RECEIVED = Instant.parse("2026-05-01T10:00:00Z");
    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");

    private RulesEngine engine;
    private InMemoryScoringState state;
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeEach
    void fresh() {
        engine = new RulesEngine();
        state = new InMemoryScoringState();
    }

    private static JsonNode json(String s) {
        try {
            return LaurelJson.mapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private EventAccepted event(String user, String type, String data, EventAction action, String key, Instant occurred,
                                Instant received) {
        return new EventAccepted("evt-" + ids.incrementAndGet(), "acme", type, 1, user, json(data), action, key,
                occurred, received, List.of("team-a"));
    }

    private EventAccepted purchase(String data) {
        return event("u1", "purchase", data, EventAction.CREATE, null, OCCURRED, RECEIVED);
    }

    private static RuleDefinition rule(String id, long points) {
        return rule(id, points, null, null, null, false);
    }

    private static RuleDefinition rule(String id, long points, String condition, String expression, RuleCap cap,
                                       boolean once) {
        return new RuleDefinition("acme", id, "Rule " + id, "purchase", points, "points", condition, expression, cap,
                once, true, 1, DEFINED, DEFINED, null);
    }

    private List<PointsEntry> score(EventAccepted e, RuleDefinition... rules) {
        return engine.score(e, List.of(rules), ZoneOffset.UTC, state);
    }

    private List<PointsEntry> score(EventAccepted e, ZoneId zone, RuleDefinition... rules) {
        return engine.score(e, List.of(rules), zone, state);
    }

    private static long total(List<PointsEntry> entries) {
        return entries.stream().mapToLong(PointsEntry::points).sum();
    }

    @Nested
    class Awards {
        @Test
        void aRuleAwardsItsPointsTracedToEventRuleAndVersion() {
            EventAccepted e = purchase("{\"amount\": 10}");
            List<PointsEntry> entries = score(e, new RuleDefinition("acme", "r1", "Buy", "purchase", 40, "coins", null,
                    null, null, false, true, 7, DEFINED, DEFINED, null));

            assertThat(entries).singleElement().satisfies(p -> {
                assertThat(p.points()).isEqualTo(40);
                assertThat(p.currency()).isEqualTo("coins");
                assertThat(p.kind()).isEqualTo(PointsEntryKind.AWARDED);
                assertThat(p.ruleId()).isEqualTo("r1");
                assertThat(p.ruleVersion()).isEqualTo(7);
                assertThat(p.eventId()).isEqualTo(e.eventId());
                assertThat(p.eventType()).isEqualTo("purchase");
                assertThat(p.occurredAt()).isEqualTo(OCCURRED);
                assertThat(p.recordedAt()).isEqualTo(RECEIVED);
                assertThat(p.description()).isEqualTo("Buy");
                assertThat(p.groups()).containsExactly("team-a");
                assertThat(p.userId()).isEqualTo("u1");
            });
        }

        @Test
        void everyMatchingRuleAwardsAndOthersDoNot() {
            RuleDefinition otherType = new RuleDefinition("acme", "r3", "Login", "login", 5, "points", null, null, null,
                    false, true, 1, DEFINED, DEFINED, null);
            RuleDefinition otherTenant = new RuleDefinition("globex", "r4", "Buy", "purchase", 5, "points", null, null,
                    null, false, true, 1, DEFINED, DEFINED, null);
            RuleDefinition zero = rule("r5", 0);

            List<PointsEntry> entries = score(purchase("{}"), rule("r1", 10), rule("r2", 3), otherType, otherTenant, zero);

            assertThat(entries).extracting(PointsEntry::ruleId).containsExactly("r1", "r2");
        }

        @Test
        void theSameEventAlwaysYieldsTheSameEntryIds() {
            EventAccepted e = purchase("{}");
            List<PointsEntry> first = score(e, rule("r1", 10));
            fresh();
            List<PointsEntry> again = score(e, rule("r1", 10));
            assertThat(again).extracting(PointsEntry::entryId).isEqualTo(first.stream().map(PointsEntry::entryId).toList());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "amount >= 100                         | {\"amount\": 100}                  | 1",
                "amount >= 100                         | {\"amount\": 99.99}                | 0",
                "amount >= 100                         | {}                                 | 0",
                "currency == 'EUR' and amount > 0      | {\"amount\": 5, \"currency\": \"EUR\"} | 1",
                "currency == 'EUR' and amount > 0      | {\"amount\": 5, \"currency\": \"USD\"} | 0",
                "customer.tier in ['gold', 'platinum'] | {\"customer\": {\"tier\": \"gold\"}}  | 1",
                "amount                                | {\"amount\": 5}                    | 0",
                "'team-a' in groups                    | {}                                 | 1",
        })
        void conditionsOnEventData(String condition, String data, int awards) {
            assertThat(score(purchase(data), rule("r1", 10, condition, null, null, false))).hasSize(awards);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "floor(amount / 10)  | {\"amount\": 129.99}  | 12",
                "amount / 10         | {\"amount\": 129.99}  | 12",
                "amount / 10         | {\"amount\": -129.99} | -12",
                "qty * 5             | {\"qty\": 3}          | 15",
                "min(amount, 50)     | {\"amount\": 80}      | 50",
                "amount / 10         | {\"amount\": 9}       | 0",
                "amount / 10         | {}                    | 0",
                "amount * 1e20       | {\"amount\": 5}       | 1000000000000",
        })
        void pointsExpressionsAreTruncatedTowardZero(String expression, String data, long points) {
            assertThat(total(score(purchase(data), rule("r1", 0, null, expression, null, false)))).isEqualTo(points);
        }

        @Test
        void anExpressionThatIsZeroOrNullAwardsNothingRatherThanAZeroEntry() {
            assertThat(score(purchase("{\"amount\": 3}"), rule("r1", 0, null, "floor(amount / 10)", null, false))).isEmpty();
            assertThat(score(purchase("{\"amount\": \"many\"}"), rule("r1", 0, null, "amount * 2", null, false))).isEmpty();
        }
    }

    @Nested
    class Versions {
        private final RuleDefinition v1 = new RuleDefinition("acme", "r1", "Buy", "purchase", 10, "points", null, null,
                null, false, true, 1, DEFINED, DEFINED, null);
        private final Instant revised = Instant.parse("2026-05-01T12:00:00Z");
        private final RuleDefinition v2 = new RuleDefinition("acme", "r1", "Buy more", "purchase", 25, "points", null,
                null, null, false, true, 2, DEFINED, revised, List.of(v1));

        @Test
        void theVersionInEffectWhenTheEventWasReceivedApplies() {
            EventAccepted before = event("u1", "purchase", "{}", EventAction.CREATE, null, OCCURRED, revised.minusMillis(1));
            EventAccepted at = event("u1", "purchase", "{}", EventAction.CREATE, null, OCCURRED, revised);

            assertThat(score(before, v2)).singleElement().satisfies(p -> {
                assertThat(p.points()).isEqualTo(10);
                assertThat(p.ruleVersion()).isEqualTo(1);
            });
            assertThat(score(at, v2)).singleElement().satisfies(p -> {
                assertThat(p.points()).isEqualTo(25);
                assertThat(p.ruleVersion()).isEqualTo(2);
            });
        }

        @Test
        void eventsReceivedBeforeTheRuleExistedAreNotScoredByIt() {
            EventAccepted early = event("u1", "purchase", "{}", EventAction.CREATE, null, OCCURRED, DEFINED.minusSeconds(1));
            assertThat(score(early, v2)).isEmpty();
        }

        @Test
        void aRetiredRuleStillScoresWhatWasReceivedBeforeItsRetirement() {
            Instant retiredAt = Instant.parse("2026-06-01T00:00:00Z");
            RuleDefinition retired = new RuleDefinition("acme", "r1", "Buy more", "purchase", 25, "points", null, null,
                    null, false, false, 3, DEFINED, retiredAt, List.of(v1, v2.withoutHistory()));

            assertThat(score(event("u1", "purchase", "{}", EventAction.CREATE, null, OCCURRED, retiredAt.minusSeconds(1)),
                    retired)).extracting(PointsEntry::points).containsExactly(25L);
            assertThat(score(event("u1", "purchase", "{}", EventAction.CREATE, null, OCCURRED, retiredAt), retired)).isEmpty();
        }
    }

    @Nested
    class Caps {
        private final RuleDefinition dailyPoints = rule("r1", 20, null, null, new RuleCap(CalendarPeriod.DAY, 50L, null), false);

        private EventAccepted at(String user, String occurred) {
            return event(user, "purchase", "{}", EventAction.CREATE, null, Instant.parse(occurred), RECEIVED);
        }

        @Test
        void aPointsCapCutsTheAwardThatCrossesItAndRefusesTheRest() {
            List<Long> awarded = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<PointsEntry> e = score(at("u1", "2026-05-01T09:0" + i + ":00Z"), ZURICH, dailyPoints);
                awarded.add(total(e));
                if (i == 2) {
                    assertThat(e.get(0).description()).endsWith("(capped)");
                }
            }
            assertThat(awarded).containsExactly(20L, 20L, 10L, 0L);
        }

        @Test
        void theDayEndsAtTheTenantsMidnightNotUtcs() {
            // 21:30Z is 23:30 in Zurich (summer time, UTC+2); 22:30Z is 00:30 the next day there
            assertThat(total(score(at("u1", "2026-05-01T21:00:00Z"), ZURICH, dailyPoints))).isEqualTo(20);
            assertThat(total(score(at("u1", "2026-05-01T21:30:00Z"), ZURICH, dailyPoints))).isEqualTo(20);
            assertThat(total(score(at("u1", "2026-05-01T21:59:59Z"), ZURICH, dailyPoints))).isEqualTo(10);
            assertThat(total(score(at("u1", "2026-05-01T22:00:00Z"), ZURICH, dailyPoints))).isEqualTo(20);
            // in UTC those four are one day
            fresh();
            List<Long> utc = new ArrayList<>();
            for (String t : List.of("2026-05-01T21:00:00Z", "2026-05-01T21:30:00Z", "2026-05-01T21:59:59Z", "2026-05-01T22:00:00Z")) {
                utc.add(total(score(at("u1", t), ZoneOffset.UTC, dailyPoints)));
            }
            assertThat(utc).containsExactly(20L, 20L, 10L, 0L);
        }

        @Test
        void capsAreCountedByWhenTheEventHappenedSoLateArrivalsCountForTheirDay() {
            assertThat(total(score(at("u1", "2026-05-02T10:00:00Z"), ZURICH, dailyPoints))).isEqualTo(20);
            assertThat(total(score(at("u1", "2026-05-01T10:00:00Z"), ZURICH, dailyPoints))).isEqualTo(20);
            assertThat(total(score(at("u1", "2026-05-01T11:00:00Z"), ZURICH, dailyPoints))).isEqualTo(20);
            assertThat(total(score(at("u1", "2026-05-01T12:00:00Z"), ZURICH, dailyPoints))).isEqualTo(10);
        }

        @Test
        void capsArePerUserAndPerRule() {
            RuleDefinition other = rule("r2", 20, null, null, new RuleCap(CalendarPeriod.DAY, 20L, null), false);
            score(at("u1", "2026-05-01T09:00:00Z"), ZURICH, dailyPoints, other);
            score(at("u1", "2026-05-01T09:01:00Z"), ZURICH, dailyPoints, other);
            assertThat(score(at("u2", "2026-05-01T09:02:00Z"), ZURICH, dailyPoints, other))
                    .extracting(PointsEntry::points).containsExactly(20L, 20L);
        }

        @ParameterizedTest
        @CsvSource({
                "WEEK, 2026-05-03T21:59:00Z, 2026-05-03T22:00:00Z", // Sunday 23:59 → Monday 00:00 in Zurich
                "MONTH, 2026-05-31T21:59:00Z, 2026-05-31T22:00:00Z",
                "QUARTER, 2026-06-30T21:59:00Z, 2026-06-30T22:00:00Z",
                "YEAR, 2026-12-31T22:59:00Z, 2026-12-31T23:00:00Z", // winter time: UTC+1
        })
        void countCapsResetWhenTheirPeriodDoes(CalendarPeriod period, String lastOfPeriod, String firstOfNext) {
            RuleDefinition twice = rule("r1", 5, null, null, new RuleCap(period, null, 2L), false);
            Instant last = Instant.parse(lastOfPeriod);
            assertThat(total(score(at("u1", last.minusSeconds(3600).toString()), ZURICH, twice))).isEqualTo(5);
            assertThat(total(score(at("u1", last.toString()), ZURICH, twice))).isEqualTo(5);
            assertThat(score(at("u1", last.toString()), ZURICH, twice)).isEmpty();
            assertThat(total(score(at("u1", firstOfNext), ZURICH, twice))).isEqualTo(5);
        }

        @Test
        void theDaylightSavingChangeDayIsOneDayOf23Hours() {
            RuleDefinition once = rule("r1", 5, null, null, new RuleCap(CalendarPeriod.DAY, null, 1L), false);
            // 2026-03-29 in Zurich runs from 2026-03-28T23:00Z to 2026-03-29T22:00Z
            assertThat(total(score(at("u1", "2026-03-28T23:00:00Z"), ZURICH, once))).isEqualTo(5);
            assertThat(score(at("u1", "2026-03-29T21:59:59Z"), ZURICH, once)).isEmpty();
            assertThat(total(score(at("u1", "2026-03-29T22:00:00Z"), ZURICH, once))).isEqualTo(5);
        }

        @Test
        void bothLimitsApply() {
            RuleDefinition both = rule("r1", 0, null, "amount", new RuleCap(CalendarPeriod.DAY, 100L, 2L), false);
            assertThat(total(score(event("u1", "purchase", "{\"amount\": 30}", EventAction.CREATE, null, OCCURRED, RECEIVED), both))).isEqualTo(30);
            assertThat(total(score(event("u1", "purchase", "{\"amount\": 30}", EventAction.CREATE, null, OCCURRED, RECEIVED), both))).isEqualTo(30);
            assertThat(score(event("u1", "purchase", "{\"amount\": 1}", EventAction.CREATE, null, OCCURRED, RECEIVED), both)).isEmpty();
        }

        @Test
        void penaltiesAreNotCutByAPointsCap() {
            RuleDefinition penalty = rule("r1", -80, null, null, new RuleCap(CalendarPeriod.DAY, 50L, null), false);
            assertThat(total(score(at("u1", "2026-05-01T09:00:00Z"), ZURICH, penalty))).isEqualTo(-80);
        }

        @Test
        void oncePerUserAwardsOnlyTheFirstTime() {
            RuleDefinition welcome = rule("r1", 100, null, null, null, true);
            assertThat(total(score(at("u1", "2026-05-01T09:00:00Z"), ZURICH, welcome))).isEqualTo(100);
            assertThat(score(at("u1", "2027-05-01T09:00:00Z"), ZURICH, welcome)).isEmpty();
            assertThat(total(score(at("u2", "2027-05-01T09:00:00Z"), ZURICH, welcome))).isEqualTo(100);
        }
    }

    @Nested
    class Removes {
        private final RuleDefinition like = rule("r1", 10);
        private final RuleDefinition bonus = rule("r2", 0, null, "amount", null, false);

        private EventAccepted create(String key, int amount) {
            return event("u1", "purchase", "{\"amount\": " + amount + "}", EventAction.CREATE, key, OCCURRED, RECEIVED);
        }

        private EventAccepted remove(String key) {
            return event("u1", "purchase", "{}", EventAction.REMOVE, key, OCCURRED.plusSeconds(60), RECEIVED.plusSeconds(60));
        }

        @Test
        void aRemoveRevokesExactlyWhatItsCreateWasAwarded() {
            List<PointsEntry> awarded = score(create("like-7", 3), like, bonus);
            List<PointsEntry> revoked = score(remove("like-7"), like, bonus);

            assertThat(revoked).hasSize(2).allSatisfy(p -> assertThat(p.kind()).isEqualTo(PointsEntryKind.REVOKED));
            assertThat(revoked).extracting(PointsEntry::reverses)
                    .containsExactlyElementsOf(awarded.stream().map(PointsEntry::entryId).toList());
            assertThat(total(awarded) + total(revoked)).isZero();
            assertThat(revoked.get(0).occurredAt()).isEqualTo(awarded.get(0).occurredAt());
            assertThat(revoked.get(0).ruleVersion()).isEqualTo(awarded.get(0).ruleVersion());
        }

        @Test
        void theKeyPicksTheCreateAndARepeatedRemoveRevokesNothingMore() {
            score(create("like-1", 1), like);
            score(create("like-2", 2), like);
            assertThat(score(remove("like-1"), like)).hasSize(1);
            assertThat(score(remove("like-1"), like)).isEmpty();
            assertThat(score(remove("like-3"), like)).isEmpty();
            assertThat(score(remove("like-2"), like)).hasSize(1);
        }

        @Test
        void withoutAKeyTheLatestUnrevokedCreateIsRevoked() {
            List<PointsEntry> first = score(create(null, 1), like, bonus);
            List<PointsEntry> second = score(create(null, 2), like, bonus);
            assertThat(total(score(remove(null), like, bonus))).isEqualTo(-total(second));
            assertThat(total(score(remove(null), like, bonus))).isEqualTo(-total(first));
            assertThat(score(remove(null), like, bonus)).isEmpty();
        }

        @Test
        void aRevocationGivesTheCapBack() {
            RuleDefinition capped = rule("r1", 10, null, null, new RuleCap(CalendarPeriod.DAY, null, 1L), true);
            score(create("a", 0), capped);
            assertThat(score(create("b", 0), capped)).isEmpty();
            score(remove("a"), capped);
            assertThat(total(score(create("c", 0), capped))).isEqualTo(10);
        }

        @Test
        void aRemoveOfAnotherUserOrTypeRevokesNothing() {
            score(create("k", 1), like);
            EventAccepted otherUser = event("u2", "purchase", "{}", EventAction.REMOVE, "k", OCCURRED, RECEIVED);
            EventAccepted otherType = event("u1", "refund", "{}", EventAction.REMOVE, "k", OCCURRED, RECEIVED);
            assertThat(score(otherUser, like)).isEmpty();
            assertThat(score(otherType, like)).isEmpty();
        }
    }

    @Nested
    class SystemTypeEvents {
        private EventAccepted manual(String data) {
            return event("u1", SystemTypes.SCORE_MANUAL, data, EventAction.CREATE, null, OCCURRED, RECEIVED);
        }

        @Test
        void aScoreEventIsAManualEntryAndMayBeNegative() {
            assertThat(score(manual("{\"points\": -15, \"description\": \"spam\"}"))).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(PointsEntryKind.MANUAL);
                assertThat(p.points()).isEqualTo(-15);
                assertThat(p.description()).isEqualTo("spam");
                assertThat(p.ruleId()).isNull();
                assertThat(p.currency()).isEqualTo("points");
            });
        }

        @Test
        void changingAScoreEventAdjustsByTheDifference() {
            EventAccepted created = manual("{\"points\": 10, \"description\": \"talk\", \"date\": \"2026-04-30\"}");
            score(created);
            List<PointsEntry> changed = score(manual("{\"score_event_id\": \"" + created.eventId() + "\", \"points\": 4}"));

            assertThat(changed).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(PointsEntryKind.ADJUSTED);
                assertThat(p.points()).isEqualTo(-6);
                assertThat(p.occurredAt()).isEqualTo(OCCURRED);
            });
            ScoringState.ScoreEvent now = state.scoreEvent("acme", created.eventId());
            assertThat(now.points()).isEqualTo(4);
            assertThat(now.description()).isEqualTo("talk");
            assertThat(now.date()).isEqualTo(java.time.LocalDate.parse("2026-04-30"));
            assertThat(score(manual("{\"score_event_id\": \"" + created.eventId() + "\", \"points\": 4, \"description\": \"x\"}")))
                    .isEmpty();
            assertThat(state.scoreEvent("acme", created.eventId()).description()).isEqualTo("x");
        }

        @Test
        void changingAScoreEventThatDoesNotExistCannotBeScored() {
            assertThatThrownBy(() -> score(manual("{\"score_event_id\": \"nope\", \"points\": 4}")))
                    .isInstanceOf(UnscorableEventException.class).hasMessageContaining("nope");
        }

        @Test
        void aRedemptionIsARedeemedEntryInItsCurrency() {
            EventAccepted e = event("u1", SystemTypes.POINTS_REDEEMED, "{\"points\": 30, \"currency\": \"coins\"}",
                    EventAction.CREATE, null, OCCURRED, RECEIVED);
            assertThat(score(e)).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(PointsEntryKind.REDEEMED);
                assertThat(p.points()).isEqualTo(-30);
                assertThat(p.currency()).isEqualTo("coins");
            });
        }
    
        @Test
        void aCompletedChallengeAwardsItsRewardInItsCurrencyWithoutARule() {
            EventAccepted e = event("u1", SystemTypes.CHALLENGE_COMPLETED,
                    "{\"challenge_id\": \"onboarding\", \"challenge_name\": \"Onboarding\", \"points\": 250,"
                            + " \"currency\": \"coins\"}", EventAction.CREATE, null, OCCURRED, RECEIVED);
            List<PointsEntry> first = score(e, rule("purchase-rule", 99)); // rules of other types do not apply
            assertThat(first).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(PointsEntryKind.AWARDED);
                assertThat(p.points()).isEqualTo(250);
                assertThat(p.currency()).isEqualTo("coins");
                assertThat(p.ruleId()).isNull();
                assertThat(p.eventType()).isEqualTo(SystemTypes.CHALLENGE_COMPLETED);
                assertThat(p.description()).isEqualTo("Challenge completed: Onboarding");
                assertThat(p.occurredAt()).isEqualTo(OCCURRED);
            });
            // the same event again yields the same entry id, so the ledger recognises the repeat
            assertThat(engine.score(e, List.of(), ZURICH, new InMemoryScoringState())).singleElement()
                    .satisfies(p -> assertThat(p.entryId()).isEqualTo(first.get(0).entryId()));
        }

        @Test
        void aCompletedChallengeWithoutPointsGivesNothingAndDefaultsToPoints() {
            assertThat(score(event("u1", SystemTypes.CHALLENGE_COMPLETED, "{\"challenge_id\": \"c\"}",
                    EventAction.CREATE, null, OCCURRED, RECEIVED))).isEmpty();
            assertThat(score(event("u1", SystemTypes.CHALLENGE_COMPLETED, "{\"challenge_id\": \"c\", \"points\": 5}",
                    EventAction.CREATE, null, OCCURRED, RECEIVED))).singleElement()
                    .satisfies(p -> assertThat(p.currency()).isEqualTo("points"));
        }
}

    @Nested
    class Recalculations {
        private final RuleDefinition capped = rule("r1", 10, null, null, new RuleCap(CalendarPeriod.DAY, 30L, null), false);

        private EventAccepted adjustment(EventAccepted original, String json) {
            return new EventAccepted("adj-" + original.eventId(), "acme", SystemTypes.POINTS_RECALCULATED, 1, "u1",
                    json("{\"recalculation\": \"rc-1\", \"event_id\": \"" + original.eventId()
                            + "\", \"event_type\": \"purchase\", \"adjustments\": " + json + "}"),
                    EventAction.CREATE, null, original.occurredAt(), RECEIVED.plusSeconds(3600), List.of("team-a"));
        }

        @Test
        void anAdjustmentIsOneAdjustedEntryPerCurrencyTracedToTheOriginalEvent() {
            EventAccepted e = purchase("{}");
            score(e, capped);
            List<PointsEntry> out = score(adjustment(e, "[{\"currency\": \"points\", \"rule_id\": \"r1\","
                    + " \"rule_version\": 1, \"points\": 5, \"count\": 0}, {\"currency\": \"coins\", \"points\": -2}]"), capped);
            assertThat(out).hasSize(2);
            PointsEntry coins = out.get(0);
            PointsEntry points = out.get(1);
            assertThat(points.kind()).isEqualTo(PointsEntryKind.ADJUSTED);
            assertThat(points.eventId()).isEqualTo(e.eventId());
            assertThat(points.occurredAt()).isEqualTo(OCCURRED);
            assertThat(points.recalculation()).isEqualTo("rc-1");
            assertThat(points.ruleId()).isEqualTo("r1");
            assertThat(points.ruleVersion()).isEqualTo(1);
            assertThat(points.points()).isEqualTo(5);
            assertThat(points.eventType()).isEqualTo("purchase");
            assertThat(points.entryId()).isEqualTo(RulesEngine.adjustmentId("rc-1", e.eventId(), "points"));
            assertThat(coins.currency()).isEqualTo("coins");
            assertThat(coins.points()).isEqualTo(-2);
            assertThat(coins.ruleId()).isNull();
        }

        @Test
        void anAdjustmentCountsAgainstTheCapOfItsRuleAndPeriod() {
            score(purchase("{}"), capped);
            EventAccepted second = purchase("{}");
            score(second, capped);
            // 10 + 10 of 30, then +10 adjusted: the cap is reached, a third purchase that day gets nothing
            score(adjustment(second, "[{\"currency\": \"points\", \"rule_id\": \"r1\", \"rule_version\": 1,"
                    + " \"points\": 10}]"), capped);
            assertThat(score(purchase("{}"), capped)).isEmpty();
        }

        @Test
        void aRemoveAfterAnAdjustmentRevokesBothTheAwardAndTheAdjustment() {
            EventAccepted e = event("u1", "purchase", "{}", EventAction.CREATE, "k-9", OCCURRED, RECEIVED);
            score(e, capped);
            score(adjustment(e, "[{\"currency\": \"points\", \"rule_id\": \"r1\", \"rule_version\": 1,"
                    + " \"points\": 7}]"), capped);
            List<PointsEntry> revoked = score(event("u1", "purchase", "{}", EventAction.REMOVE, "k-9", OCCURRED,
                    RECEIVED.plusSeconds(7200)), capped);
            assertThat(revoked).hasSize(2);
            assertThat(total(revoked)).isEqualTo(-17);
        }

        @Test
        void anAdjustmentOfAnEventRemovedSincePostsNothing() {
            EventAccepted e = event("u1", "purchase", "{}", EventAction.CREATE, "k-5", OCCURRED, RECEIVED);
            score(e, capped);
            score(event("u1", "purchase", "{}", EventAction.REMOVE, "k-5", OCCURRED, RECEIVED.plusSeconds(60)), capped);
            assertThat(score(adjustment(e, "[{\"currency\": \"points\", \"rule_id\": \"r1\", \"rule_version\": 1,"
                    + " \"points\": 10}]"), capped)).isEmpty();
            // and the caps did not move: three purchases of 10 still fit the 30 of the day
            assertThat(total(score(purchase("{}"), capped)) + total(score(purchase("{}"), capped))
                    + total(score(purchase("{}"), capped))).isEqualTo(30);
        }

        @Test
        void changesThatCancelOutInACurrencyPostNothingAndMoveNoCap() {
            score(purchase("{}"), capped);
            EventAccepted second = purchase("{}");
            score(second, capped);
            assertThat(score(adjustment(second, "[{\"currency\": \"points\", \"rule_id\": \"r1\", \"rule_version\": 1,"
                    + " \"points\": 10}, {\"currency\": \"points\", \"rule_id\": \"r9\", \"points\": -10}]"), capped))
                    .isEmpty();
            // 20 of 30 used, as before the adjustment: one more purchase gets its 10
            assertThat(total(score(purchase("{}"), capped))).isEqualTo(10);
        }

        @Test
        void removingACreateThatOnlyAnAdjustmentGaveAnAwardToGivesItsCountBack() {
            RuleDefinition once = rule("r1", 10, null, null, new RuleCap(CalendarPeriod.DAY, null, 1L), false);
            EventAccepted e = event("u1", "purchase", "{}", EventAction.CREATE, "k-6", OCCURRED, RECEIVED);
            score(e, once);
            // the day's one award, then a recalculation lowered it to 0: the count is given back (-1)
            score(adjustment(e, "[{\"currency\": \"points\", \"rule_id\": \"r1\", \"rule_version\": 1,"
                    + " \"points\": -10, \"count\": -1}]"), once);
            List<PointsEntry> revoked = score(event("u1", "purchase", "{}", EventAction.REMOVE, "k-6", OCCURRED,
                    RECEIVED.plusSeconds(60)), once);
            assertThat(total(revoked)).isZero();
            // the removed event held no award any more: the day's award is free, once
            assertThat(total(score(purchase("{}"), once))).isEqualTo(10);
            assertThat(score(purchase("{}"), once)).isEmpty();
        }

        @Test
        void anAdjustmentWithoutItsFieldsCannotBeScored() {
            EventAccepted broken = new EventAccepted("adj-x", "acme", SystemTypes.POINTS_RECALCULATED, 1, "u1",
                    json("{\"event_id\": \"e\"}"), EventAction.CREATE, null, OCCURRED, RECEIVED, List.of());
            assertThatThrownBy(() -> score(broken, capped)).isInstanceOf(UnscorableEventException.class);
        }

        @Test
        void rescoreUsesTheCurrentVersionWhateverTheEventsReceiptTime() {
            RuleDefinition v1 = new RuleDefinition("acme", "r1", "Rule r1", "purchase", 10, "points", null, null, null,
                    false, true, 1, DEFINED, DEFINED, null);
            RuleDefinition v2 = new RuleDefinition("acme", "r1", "Rule r1", "purchase", 20, "points", null, null, null,
                    false, true, 2, DEFINED, RECEIVED.plusSeconds(86_400), List.of(v1));
            EventAccepted e = purchase("{}");
            assertThat(score(e, v2)).extracting(PointsEntry::points).containsExactly(10L);
            assertThat(engine.rescore(e, List.of(v2), ZoneOffset.UTC, new InMemoryScoringState()))
                    .extracting(PointsEntry::points, PointsEntry::ruleVersion).containsExactly(org.assertj.core.groups.Tuple.tuple(20L, 2));
            assertThat(engine.rescore(event("u1", SystemTypes.SCORE_MANUAL, "{\"points\": 5}", EventAction.CREATE, null,
                    OCCURRED, RECEIVED), List.of(v2), ZoneOffset.UTC, new InMemoryScoringState())).isEmpty();
        }
    }
}
