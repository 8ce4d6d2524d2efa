package io.laurel.badge.challenge.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.catalog.ChallengeDefinition.Step;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengeEngineTest {
    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");
    private final ChallengeEngine engine = new ChallengeEngine();
    private InMemoryChallengeState state = new InMemoryChallengeState();
    private int inputs;

    private static Step first(String id, String type) {
        return new Step(id, id, ChallengeDefinition.FIRST, type, null, null, null, null, null, null);
    }

    private static Step count(String id, String type, long n) {
        return new Step(id, id, ChallengeDefinition.COUNT, type, n, null, null, null, null, null);
    }

    private static Step countWhere(String id, String type, long n, String condition) {
        return new Step(id, id, ChallengeDefinition.COUNT, type, n, null, condition, null, null, null);
    }

    private static Step points(String id, String currency, long n) {
        return new Step(id, id, ChallengeDefinition.POINTS, null, n, currency, null, null, null, null);
    }

    private static Step streak(String id, String type, long n, String unit) {
        return new Step(id, id, ChallengeDefinition.STREAK, type, n, null, null, unit, null, null);
    }

    private static Step badge(String id, String badgeId) {
        return new Step(id, id, ChallengeDefinition.BADGE, null, null, null, null, null, badgeId, null);
    }

    private static ChallengeDefinition challenge(String id, boolean ordered, Step... steps) {
        return new ChallengeDefinition("acme", id, id, null, null, ordered, List.of(steps), null, null, null, null,
                "points", null, true, 1, Instant.EPOCH, Instant.EPOCH);
    }

    private static ChallengeDefinition window(ChallengeDefinition c, String starts, String ends, String timeBox) {
        return new ChallengeDefinition(c.tenant(), c.id(), c.name(), null, null, c.ordered(), c.steps(),
                starts == null ? null : Instant.parse(starts), ends == null ? null : Instant.parse(ends), timeBox,
                c.rewardPoints(), c.rewardCurrency(), c.rewardBadgeId(), c.active(), c.version(), c.createdAt(),
                c.updatedAt());
    }

    private static ChallengeDefinition retired(ChallengeDefinition c) {
        return new ChallengeDefinition(c.tenant(), c.id(), c.name(), null, null, c.ordered(), c.steps(), c.startsAt(),
                c.endsAt(), c.timeBox(), c.rewardPoints(), c.rewardCurrency(), c.rewardBadgeId(), false, c.version(),
                c.createdAt(), c.updatedAt());
    }

    private EventAccepted event(String type, String user, String occurredAt, ObjectNode data, EventAction action) {
        inputs++;
        return new EventAccepted("e" + inputs, "acme", type, 1, user, data == null ? JsonNodeFactory.instance.objectNode()
                : data, action, null, Instant.parse(occurredAt), Instant.parse(occurredAt), List.of(), 0L);
    }

    private EventAccepted event(String type, String user, String occurredAt) {
        return event(type, user, occurredAt, null, EventAction.CREATE);
    }

    private PointsEntry entry(String user, long points, String currency, PointsEntryKind kind, String occurredAt) {
        inputs++;
        return new PointsEntry("p" + inputs, "acme", user, "x" + inputs, null, null, points, currency, kind,
                Instant.parse(occurredAt), Instant.parse(occurredAt), "", List.of(), null, "purchase", null);
    }

    private List<ChallengeOutcome> on(ChallengeDefinition c, ZoneId zone, EventAccepted... events) {
        List<ChallengeOutcome> out = new ArrayList<>();
        for (EventAccepted e : events) {
            out.addAll(engine.onEvent(e, List.of(c), zone, state));
        }
        return out;
    }

    private List<ChallengeOutcome> on(ChallengeDefinition c, EventAccepted... events) {
        return on(c, ZoneOffset.UTC, events);
    }

    private ChallengeProgress progress(String user, ChallengeDefinition c) {
        return state.progress("acme", user, c.id());
    }

    private static List<String> kinds(List<ChallengeOutcome> outcomes) {
        return outcomes.stream().map(o -> o.kind() + (o.stepId() == null ? "" : ":" + o.stepId())).toList();
    }

    @Nested
    class Unordered {
        private final ChallengeDefinition c = challenge("onboarding", false, first("profile", "profile.completed"),
                count("posts", "post", 3), first("follow", "follow"));

        @Test
        void stepsPassInAnyOrderAndTheLastCompletesTheChallengeOnce() {
            List<ChallengeOutcome> out = on(c, event("follow", "ann", "2026-03-01T10:00:00Z"),
                    event("post", "ann", "2026-03-01T11:00:00Z"), event("post", "ann", "2026-03-01T12:00:00Z"));
            assertThat(kinds(out)).containsExactly("challenge_progressed:follow");
            assertThat(out.get(0).stepsPassed()).isEqualTo(1);
            assertThat(out.get(0).stepsTotal()).isEqualTo(3);
            assertThat(progress("ann", c).step("posts").value()).isEqualTo(2);
            assertThat(progress("ann", c).started()).isTrue();
            assertThat(progress("ann", c).startedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));

            out = on(c, event("profile.completed", "ann", "2026-03-02T09:00:00Z"));
            assertThat(kinds(out)).containsExactly("challenge_progressed:profile");
            assertThat(out.get(0).stepsPassed()).isEqualTo(2);

            out = on(c, event("post", "ann", "2026-03-02T10:00:00Z"));
            assertThat(kinds(out)).containsExactly("challenge_progressed:posts", "challenge_completed");
            ChallengeOutcome done = out.get(1);
            assertThat(done.id()).isEqualTo(ChallengeOutcome.completionId("acme", "ann", "onboarding"));
            assertThat(done.at()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
            assertThat(done.source()).isEqualTo("e5");
            assertThat(done.attempt()).isEqualTo(1);
            assertThat(progress("ann", c).completedAt()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));

            assertThat(on(c, event("post", "ann", "2026-03-03T10:00:00Z"), event("follow", "ann", "2026-03-03T10:00:00Z")))
                    .isEmpty();
            assertThat(progress("ann", c).step("posts").value()).isEqualTo(3);
        }

        @Test
        void oneEventAdvancesEveryUnorderedStepItMatches() {
            ChallengeDefinition both = challenge("both", false, first("one", "post"), count("two", "post", 2));
            assertThat(kinds(on(both, event("post", "ann", "2026-03-01T10:00:00Z"))))
                    .containsExactly("challenge_progressed:one");
            assertThat(kinds(on(both, event("post", "ann", "2026-03-01T11:00:00Z"))))
                    .containsExactly("challenge_progressed:two", "challenge_completed");
        }

        @Test
        void usersProgressApart() {
            on(c, event("follow", "ann", "2026-03-01T10:00:00Z"));
            assertThat(progress("bob", c)).isEqualTo(ChallengeProgress.NONE);
            assertThat(on(c, event("follow", "bob", "2026-03-01T10:00:00Z"))).singleElement()
                    .satisfies(o -> assertThat(o.userId()).isEqualTo("bob"));
        }

        @Test
        void eventsOfOtherTypesAndRemovedEventsChangeNothing() {
            assertThat(on(c, event("like", "ann", "2026-03-01T10:00:00Z"),
                    event("follow", "ann", "2026-03-01T10:00:00Z", null, EventAction.REMOVE))).isEmpty();
            assertThat(progress("ann", c)).isEqualTo(ChallengeProgress.NONE);
        }

        @Test
        void aRetiredChallengeProgressesNoMore() {
            assertThat(on(retired(c), event("follow", "ann", "2026-03-01T10:00:00Z"))).isEmpty();
            assertThat(progress("ann", c)).isEqualTo(ChallengeProgress.NONE);
        }

        @Test
        void aReplayOfTheSameHistoryYieldsTheSameIds() {
            List<EventAccepted> history = List.of(event("follow", "ann", "2026-03-01T10:00:00Z"),
                    event("profile.completed", "ann", "2026-03-01T10:00:00Z"), event("post", "ann", "2026-03-01T10:00:00Z"),
                    event("post", "ann", "2026-03-01T10:00:00Z"), event("post", "ann", "2026-03-01T10:00:00Z"));
            List<ChallengeOutcome> live = on(c, history.toArray(EventAccepted[]::new));
            state = new InMemoryChallengeState();
            List<ChallengeOutcome> replayed = on(c, history.toArray(EventAccepted[]::new));
            assertThat(replayed).isEqualTo(live);
            Set<String> ids = new HashSet<>();
            live.forEach(o -> ids.add(o.id()));
            assertThat(ids).hasSize(4);
        }
    }

    @Nested
    class Ordered {
        private final ChallengeDefinition c = challenge("path", true, first("read", "lesson.read"), count("quiz", "quiz.passed", 2),
                first("share", "share"));

        @Test
        void aLaterStepDoneEarlyWaitsAndPassesWithTheLastStepBeforeIt() {
            assertThat(on(c, event("quiz.passed", "ann", "2026-03-01T10:00:00Z"), event("share", "ann", "2026-03-01T10:30:00Z")))
                    .isEmpty();
            ChallengeProgress early = progress("ann", c);
            assertThat(early.started()).isTrue();
            assertThat(early.step("share").reached()).isTrue();
            assertThat(early.step("share").passed()).isFalse();
            assertThat(early.step("quiz").value()).isEqualTo(1);

            List<ChallengeOutcome> read = on(c, event("lesson.read", "ann", "2026-03-01T11:00:00Z"));
            assertThat(kinds(read)).containsExactly("challenge_progressed:read");
            assertThat(read.get(0).stepsPassed()).isEqualTo(1);

            List<ChallengeOutcome> rest = on(c, event("quiz.passed", "ann", "2026-03-01T12:00:00Z"));
            assertThat(kinds(rest)).containsExactly("challenge_progressed:quiz", "challenge_progressed:share",
                    "challenge_completed");
            assertThat(rest).extracting(ChallengeOutcome::stepsPassed).containsExactly(2, 3, 3);
            // share was done at 10:30 but passes behind the quiz, at 12:00; so does the challenge
            assertThat(progress("ann", c).step("share").passedAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
            assertThat(progress("ann", c).step("share").reachedAt()).isEqualTo(Instant.parse("2026-03-01T10:30:00Z"));
            assertThat(rest.get(2).at()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        }

        @Test
        void aStepReachedAfterTheOnesBeforeItPassesWhenReached() {
            on(c, event("lesson.read", "ann", "2026-03-01T09:00:00Z"), event("quiz.passed", "ann", "2026-03-01T10:00:00Z"),
                    event("quiz.passed", "ann", "2026-03-01T11:00:00Z"));
            List<ChallengeOutcome> done = on(c, event("share", "ann", "2026-03-01T13:00:00Z"));
            assertThat(kinds(done)).containsExactly("challenge_progressed:share", "challenge_completed");
            assertThat(done.get(1).at()).isEqualTo(Instant.parse("2026-03-01T13:00:00Z"));
        }

        @Test
        void theResultDoesNotDependOnWhetherEventsOrPointsAreFoldedFirst() {
            ChallengeDefinition mixed = challenge("mixed", true, first("read", "lesson.read"), points("earn", "points", 30));
            EventAccepted read = event("lesson.read", "ann", "2026-03-01T09:00:00Z");
            PointsEntry p1 = entry("ann", 10, "points", PointsEntryKind.AWARDED, "2026-03-01T09:00:00Z");
            PointsEntry p2 = entry("ann", 10, "points", PointsEntryKind.AWARDED, "2026-03-01T09:30:00Z");
            PointsEntry p3 = entry("ann", 10, "points", PointsEntryKind.AWARDED, "2026-03-01T10:00:00Z");

            List<ChallengeOutcome> eventsFirst = new ArrayList<>(engine.onEvent(read, List.of(mixed), ZoneOffset.UTC, state));
            for (PointsEntry p : List.of(p1, p2, p3)) {
                eventsFirst.addAll(engine.onPoints(p, List.of(mixed), state));
            }
            ChallengeProgress a = progress("ann", mixed);
            state = new InMemoryChallengeState();
            List<ChallengeOutcome> pointsFirst = new ArrayList<>();
            for (PointsEntry p : List.of(p1, p2, p3)) {
                pointsFirst.addAll(engine.onPoints(p, List.of(mixed), state));
            }
            pointsFirst.addAll(engine.onEvent(read, List.of(mixed), ZoneOffset.UTC, state));
            ChallengeProgress b = progress("ann", mixed);

            assertThat(kinds(eventsFirst)).containsExactly("challenge_progressed:read", "challenge_progressed:earn",
                    "challenge_completed");
            assertThat(kinds(pointsFirst)).containsExactly("challenge_progressed:read", "challenge_progressed:earn",
                    "challenge_completed");
            assertThat(pointsFirst).extracting(ChallengeOutcome::id).containsExactlyElementsOf(
                    eventsFirst.stream().map(ChallengeOutcome::id).toList());
            assertThat(b.completedAt()).isEqualTo(a.completedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
            assertThat(b.startedAt()).isEqualTo(a.startedAt()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
            assertThat(b.step("earn").passedAt()).isEqualTo(a.step("earn").passedAt());
        }

        @Test
        void oneEventMayPassSeveralStepsInTurn() {
            ChallengeDefinition twice = challenge("twice", true, first("one", "post"), count("two", "post", 1));
            assertThat(kinds(on(twice, event("post", "ann", "2026-03-01T10:00:00Z"))))
                    .containsExactly("challenge_progressed:one", "challenge_progressed:two", "challenge_completed");
        }
    }

    @Nested
    class Conditions {
        @Test
        void aStepCountsOnlyEventsMeetingItsCondition() {
            ChallengeDefinition c = challenge("big", false, countWhere("big-buys", "purchase", 2, "amount >= 100"));
            ObjectNode small = JsonNodeFactory.instance.objectNode().put("amount", 20);
            ObjectNode big = JsonNodeFactory.instance.objectNode().put("amount", 150);
            assertThat(on(c, event("purchase", "ann", "2026-03-01T10:00:00Z", small, EventAction.CREATE))).isEmpty();
            assertThat(progress("ann", c)).isEqualTo(ChallengeProgress.NONE);
            on(c, event("purchase", "ann", "2026-03-01T10:00:00Z", big, EventAction.CREATE));
            assertThat(kinds(on(c, event("purchase", "ann", "2026-03-01T11:00:00Z", big, EventAction.CREATE))))
                    .containsExactly("challenge_progressed:big-buys", "challenge_completed");
        }

        @Test
        void aConditionThatCannotBeEvaluatedDoesNotHold() {
            ChallengeDefinition c = challenge("odd", false, countWhere("s", "purchase", 1, "amount >= 100"));
            ObjectNode text = JsonNodeFactory.instance.objectNode().put("amount", "lots");
            assertThat(on(c, event("purchase", "ann", "2026-03-01T10:00:00Z", text, EventAction.CREATE))).isEmpty();
        }
    }

    @Nested
    class Streaks {
        @Test
        void consecutiveDaysAcrossTheMonthEndInZurich() {
            ChallengeDefinition c = challenge("daily", false, streak("three-days", "login", 3, "day"));
            // 23:30 Zurich on Jan 31 is 22:30 UTC; 00:30 Zurich on Feb 1 is 23:30 UTC on Jan 31
            assertThat(on(c, ZURICH, event("login", "ann", "2026-01-30T12:00:00Z"),
                    event("login", "ann", "2026-01-31T22:30:00Z"))).isEmpty();
            assertThat(progress("ann", c).step("three-days").value()).isEqualTo(2);
            assertThat(kinds(on(c, ZURICH, event("login", "ann", "2026-01-31T23:30:00Z"))))
                    .containsExactly("challenge_progressed:three-days", "challenge_completed");
        }

        @Test
        void theSameDayAgainCountsOnceAndAGapStartsAgain() {
            ChallengeDefinition c = challenge("daily", false, streak("s", "login", 3, "day"));
            on(c, ZURICH, event("login", "ann", "2026-03-01T08:00:00Z"), event("login", "ann", "2026-03-01T20:00:00Z"),
                    event("login", "ann", "2026-03-02T08:00:00Z"));
            assertThat(progress("ann", c).step("s").value()).isEqualTo(2);
            assertThat(on(c, ZURICH, event("login", "ann", "2026-03-04T08:00:00Z"))).isEmpty();
            assertThat(progress("ann", c).step("s").value()).isEqualTo(1);
            // a day before the streak's last counts for nothing
            assertThat(on(c, ZURICH, event("login", "ann", "2026-03-02T09:00:00Z"))).isEmpty();
            assertThat(progress("ann", c).step("s").value()).isEqualTo(1);
        }

        @Test
        void theDaylightSavingDaysAreOneDayEach() {
            ChallengeDefinition c = challenge("dst", false, streak("s", "login", 3, "day"));
            // Zurich springs forward on 2026-03-29 (23 hours) and falls back on 2026-10-25 (25 hours)
            assertThat(kinds(on(c, ZURICH, event("login", "ann", "2026-03-28T22:59:00Z"), // Mar 28, 23:59 CET
                    event("login", "ann", "2026-03-28T23:00:00Z"), // Mar 29, 00:00 CET
                    event("login", "ann", "2026-03-29T22:00:00Z")))) // Mar 30, 00:00 CEST
                    .containsExactly("challenge_progressed:s", "challenge_completed");
            assertThat(kinds(on(c, ZURICH, event("login", "bob", "2026-10-24T21:59:00Z"), // Oct 24, 23:59 CEST
                    event("login", "bob", "2026-10-25T22:59:00Z")))) // Oct 25, 23:59 CET: the 25-hour day
                    .isEmpty();
            assertThat(progress("bob", c).step("s").value()).isEqualTo(2);
        }

        @Test
        void weeksFromMondayAcrossTheYearEnd() {
            ChallengeDefinition c = challenge("weekly", false, streak("s", "workout", 2, "week"));
            // Monday 2025-12-29 and Thursday 2026-01-01 are the same week; Monday 2026-01-05 the next
            assertThat(on(c, ZURICH, event("workout", "ann", "2025-12-29T10:00:00Z"),
                    event("workout", "ann", "2026-01-01T10:00:00Z"))).isEmpty();
            assertThat(kinds(on(c, ZURICH, event("workout", "ann", "2026-01-05T10:00:00Z"))))
                    .containsExactly("challenge_progressed:s", "challenge_completed");
        }
    }

    @Nested
    class Points {
        private final ChallengeDefinition c = challenge("earn", false, points("coins-100", "coins", 100));

        @Test
        void pointsOfTheCurrencyCountAndRedemptionsDoNot() {
            assertThat(engine.onPoints(entry("ann", 60, "coins", PointsEntryKind.AWARDED, "2026-03-01T10:00:00Z"),
                    List.of(c), state)).isEmpty();
            assertThat(engine.onPoints(entry("ann", 500, "points", PointsEntryKind.AWARDED, "2026-03-01T10:00:00Z"),
                    List.of(c), state)).isEmpty();
            assertThat(engine.onPoints(entry("ann", -50, "coins", PointsEntryKind.REDEEMED, "2026-03-01T10:00:00Z"),
                    List.of(c), state)).isEmpty();
            assertThat(progress("ann", c).step("coins-100").value()).isEqualTo(60);
            assertThat(kinds(engine.onPoints(entry("ann", 40, "coins", PointsEntryKind.MANUAL, "2026-03-01T11:00:00Z"),
                    List.of(c), state))).containsExactly("challenge_progressed:coins-100", "challenge_completed");
        }

        @Test
        void revocationsLowerProgressButNeverUnpassAStepOrStartAnAttempt() {
            assertThat(engine.onPoints(entry("ann", -30, "coins", PointsEntryKind.REVOKED, "2026-03-01T09:00:00Z"),
                    List.of(c), state)).isEmpty();
            assertThat(progress("ann", c)).isEqualTo(ChallengeProgress.NONE);
            engine.onPoints(entry("ann", 80, "coins", PointsEntryKind.AWARDED, "2026-03-01T10:00:00Z"), List.of(c), state);
            engine.onPoints(entry("ann", -30, "coins", PointsEntryKind.REVOKED, "2026-03-01T10:30:00Z"), List.of(c), state);
            assertThat(progress("ann", c).step("coins-100").value()).isEqualTo(50);

            ChallengeDefinition two = challenge("two", false, points("p", "coins", 10), first("f", "post"));
            engine.onPoints(entry("bob", 10, "coins", PointsEntryKind.AWARDED, "2026-03-01T10:00:00Z"), List.of(two), state);
            engine.onPoints(entry("bob", -10, "coins", PointsEntryKind.REVOKED, "2026-03-01T10:10:00Z"), List.of(two), state);
            assertThat(progress("bob", two).step("p").passed()).isTrue();
            assertThat(kinds(on(two, event("post", "bob", "2026-03-01T11:00:00Z"))))
                    .containsExactly("challenge_progressed:f", "challenge_completed");
        }
    }

    @Nested
    class Badges {
        @Test
        void aBadgeStepIsReachedWhenTheBadgeIsAwarded() {
            ChallengeDefinition c = challenge("collector", true, badge("b1", "early-bird"), badge("b2", "night-owl"));
            Instant at = Instant.parse("2026-03-01T10:00:00Z");
            assertThat(engine.onAward("acme", "ann", "other", at, "a0", List.of(c), state)).isEmpty();
            assertThat(progress("ann", c)).isEqualTo(ChallengeProgress.NONE);
            assertThat(engine.onAward("acme", "ann", "night-owl", at, "a1", List.of(c), state)).isEmpty();
            assertThat(progress("ann", c).step("b2").reachedAt()).isEqualTo(at);
            List<ChallengeOutcome> out = engine.onAward("acme", "ann", "early-bird", at.plusSeconds(5), "a2", List.of(c), state);
            assertThat(kinds(out)).containsExactly("challenge_progressed:b1", "challenge_progressed:b2", "challenge_completed");
            assertThat(out).extracting(ChallengeOutcome::source).containsOnly("a2");
            assertThat(progress("ann", c).step("b2").passedAt()).isEqualTo(at.plusSeconds(5));
            assertThat(engine.onAward("acme", "ann", "night-owl", at.plusSeconds(9), "a3", List.of(c), state)).isEmpty();
        }
    }

    @Nested
    class Windows {
        private final ChallengeDefinition c = window(challenge("march", false, count("posts", "post", 2)),
                "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", null);

        @Test
        void onlyWhatHappensFromTheStartToTheDeadlineCounts() {
            assertThat(on(c, event("post", "ann", "2026-02-28T23:59:59Z"), event("post", "ann", "2026-04-01T00:00:00Z")))
                    .isEmpty();
            assertThat(progress("ann", c)).isEqualTo(ChallengeProgress.NONE);
            assertThat(kinds(on(c, event("post", "ann", "2026-03-01T00:00:00Z"), event("post", "ann", "2026-03-31T23:59:59Z"))))
                    .containsExactly("challenge_progressed:posts", "challenge_completed");
        }
    }

    @Nested
    class TimeBoxes {
        private final ChallengeDefinition c = window(challenge("sprint", false, count("posts", "post", 3)), null, null, "PT48H");

        @Test
        void completedWithinTheBox() {
            assertThat(kinds(on(c, event("post", "ann", "2026-03-01T10:00:00Z"), event("post", "ann", "2026-03-02T10:00:00Z"),
                    event("post", "ann", "2026-03-03T09:59:59Z"))))
                    .containsExactly("challenge_progressed:posts", "challenge_completed");
        }

        @Test
        void whenTheBoxRunsOutTheNextEventStartsANewAttemptFromNothing() {
            on(c, event("post", "ann", "2026-03-01T10:00:00Z"), event("post", "ann", "2026-03-02T10:00:00Z"));
            // exactly 48 hours after the start: the box has run out
            assertThat(on(c, event("post", "ann", "2026-03-03T10:00:00Z"))).isEmpty();
            ChallengeProgress p = progress("ann", c);
            assertThat(p.attempt()).isEqualTo(2);
            assertThat(p.startedAt()).isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));
            assertThat(p.step("posts").value()).isEqualTo(1);
            List<ChallengeOutcome> done = on(c, event("post", "ann", "2026-03-04T10:00:00Z"),
                    event("post", "ann", "2026-03-05T09:00:00Z"));
            assertThat(kinds(done)).containsExactly("challenge_progressed:posts", "challenge_completed");
            assertThat(done.get(0).attempt()).isEqualTo(2);
            assertThat(done.get(0).id()).isEqualTo(ChallengeOutcome.stepId("acme", "ann", "sprint", 2, "posts"));
            assertThat(done.get(0).id()).isNotEqualTo(ChallengeOutcome.stepId("acme", "ann", "sprint", 1, "posts"));
        }

        @Test
        void aStepPassedInAnExpiredAttemptMustBePassedAgain() {
            ChallengeDefinition two = window(challenge("two", false, first("a", "post"), first("b", "like")), null, null, "P1D");
            assertThat(kinds(on(two, event("post", "ann", "2026-03-01T10:00:00Z")))).containsExactly("challenge_progressed:a");
            assertThat(on(two, event("like", "ann", "2026-03-02T10:00:01Z"))).extracting(ChallengeOutcome::kind)
                    .containsExactly(ChallengeOutcome.PROGRESSED);
            assertThat(progress("ann", two).step("a").passed()).isFalse();
            assertThat(progress("ann", two).step("b").passed()).isTrue();
            assertThat(kinds(on(two, event("post", "ann", "2026-03-02T11:00:00Z"))))
                    .containsExactly("challenge_progressed:a", "challenge_completed");
        }
    }
}
