package io.laurel.badge.rule;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.BadgeDefinition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BadgeEngineTest {
    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");
    private final BadgeEngine engine = new BadgeEngine();
    private final InMemoryBadgeState state = new InMemoryBadgeState();
    private int events;

    private static BadgeDefinition badge(String id, String kind, String eventType, Long threshold, boolean repeatable) {
        return new BadgeDefinition("acme", id, id, null, null, kind, eventType, threshold, "points", null, null,
                List.of(), null, repeatable, null, true, 1, Instant.EPOCH, Instant.EPOCH);
    }

    private static BadgeDefinition with(BadgeDefinition b, String condition, String streakUnit,
                                        List<BadgeDefinition.Session> sessions, String expiresAfter, boolean active) {
        return new BadgeDefinition(b.tenant(), b.id(), b.name(), b.description(), b.imageUrl(), b.badgeKind(),
                b.eventType(), b.threshold(), b.currency(), condition, streakUnit, sessions, b.trackField(),
                b.repeatable(), expiresAfter, active, b.version(), b.createdAt(), b.updatedAt());
    }

    private EventAccepted event(String type, String user, String occurredAt, ObjectNode data) {
        events++;
        return new EventAccepted("e" + events, "acme", type, 1, user, data == null ? JsonNodeFactory.instance.objectNode()
                : data, EventAction.CREATE, null, Instant.parse(occurredAt), Instant.parse(occurredAt), List.of(), 0L);
    }

    private EventAccepted event(String type, String user, String occurredAt) {
        return event(type, user, occurredAt, null);
    }

    private List<Award> feed(List<BadgeDefinition> badges, ZoneId zone, EventAccepted... list) {
        List<Award> out = new ArrayList<>();
        for (EventAccepted e : list) {
            out.addAll(engine.onEvent(e, badges, zone, state));
        }
        return out;
    }

    private static ObjectNode data(String field, Object value) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (value instanceof Integer i) {
            n.put(field, i);
        } else {
            n.put(field, String.valueOf(value));
        }
        return n;
    }

    @Nested
    class First {
        @Test
        void theFirstEventOfTheTypeEarnsItOnce() {
            BadgeDefinition b = badge("hello", BadgeDefinition.FIRST, "post", null, false);
            List<Award> awards = feed(List.of(b), ZoneOffset.UTC, event("post", "ann", "2026-03-01T10:00:00Z"),
                    event("post", "ann", "2026-03-02T10:00:00Z"));
            assertThat(awards).hasSize(1);
            Award a = awards.get(0);
            assertThat(a.userId()).isEqualTo("ann");
            assertThat(a.badgeId()).isEqualTo("hello");
            assertThat(a.nth()).isEqualTo(1);
            assertThat(a.source()).isEqualTo("e1");
            assertThat(a.awardedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
            assertThat(a.expiresAt()).isNull();
        }

        @Test
        void otherTypesUsersAndInactiveBadgesEarnNothing() {
            BadgeDefinition b = badge("hello", BadgeDefinition.FIRST, "post", null, false);
            BadgeDefinition retired = with(badge("old", BadgeDefinition.FIRST, "post", null, false), null, null,
                    List.of(), null, false);
            assertThat(feed(List.of(b, retired), ZoneOffset.UTC, event("comment", "ann", "2026-03-01T10:00:00Z")))
                    .isEmpty();
            assertThat(feed(List.of(b, retired), ZoneOffset.UTC, event("post", "bob", "2026-03-01T10:00:00Z")))
                    .extracting(Award::badgeId).containsExactly("hello");
        }

        @Test
        void aConditionOnEventDataMustHold() {
            BadgeDefinition b = with(badge("big", BadgeDefinition.FIRST, "order", null, false), "amount >= 100",
                    null, List.of(), null, true);
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("order", "ann", "2026-03-01T10:00:00Z",
                    data("amount", 99)))).isEmpty();
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("order", "ann", "2026-03-01T11:00:00Z",
                    data("amount", 100)))).hasSize(1);
        }

        @Test
        void aConditionThatCannotBeEvaluatedDoesNotHold() {
            BadgeDefinition b = with(badge("big", BadgeDefinition.FIRST, "order", null, false), "amount >= 100",
                    null, List.of(), null, true);
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("order", "ann", "2026-03-01T10:00:00Z",
                    data("amount", "lots")))).isEmpty();
        }

        @Test
        void aRemovedEventTakesNothingBackAndEarnsNothing() {
            BadgeDefinition b = badge("hello", BadgeDefinition.FIRST, "post", null, false);
            EventAccepted create = event("post", "ann", "2026-03-01T10:00:00Z");
            EventAccepted remove = new EventAccepted("e-rm", "acme", "post", 1, "ann", null, EventAction.REMOVE, null,
                    create.occurredAt(), create.receivedAt(), List.of(), 0L);
            assertThat(feed(List.of(b), ZoneOffset.UTC, remove)).isEmpty();
            assertThat(feed(List.of(b), ZoneOffset.UTC, create, remove)).hasSize(1);
            assertThat(state.progress("acme", "ann", "hello").awards()).isEqualTo(1);
        }
    }

    @Nested
    class Count {
        @Test
        void theNthEventEarnsIt() {
            BadgeDefinition b = badge("five", BadgeDefinition.COUNT, "attend", 5L, false);
            List<Award> awards = new ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                List<Award> now = feed(List.of(b), ZoneOffset.UTC, event("attend", "ann", "2026-03-01T10:00:0" + (i % 10) + "Z"));
                if (i == 5) {
                    assertThat(now).hasSize(1);
                } else {
                    assertThat(now).as("event %d", i).isEmpty();
                }
                awards.addAll(now);
            }
            assertThat(awards).extracting(Award::nth).containsExactly(1);
            assertThat(state.progress("acme", "ann", "five").value()).isEqualTo(12);
        }

        @Test
        void repeatableEarnsEveryThreshold() {
            BadgeDefinition b = badge("three", BadgeDefinition.COUNT, "attend", 3L, true);
            List<Award> awards = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                awards.addAll(feed(List.of(b), ZoneOffset.UTC, event("attend", "ann", "2026-03-01T10:00:00Z")));
            }
            assertThat(awards).extracting(Award::nth).containsExactly(1, 2, 3);
            assertThat(awards).extracting(Award::source).containsExactly("e3", "e6", "e9");
            assertThat(awards).extracting(Award::awardId).doesNotHaveDuplicates();
        }

        @Test
        void onlyEventsMeetingTheConditionCount() {
            BadgeDefinition b = with(badge("two-web", BadgeDefinition.COUNT, "order", 2L, false),
                    "channel == 'web'", null, List.of(), null, true);
            assertThat(feed(List.of(b), ZoneOffset.UTC,
                    event("order", "ann", "2026-03-01T10:00:00Z", data("channel", "web")),
                    event("order", "ann", "2026-03-01T10:01:00Z", data("channel", "store")),
                    event("order", "ann", "2026-03-01T10:02:00Z", data("channel", "store")))).isEmpty();
            assertThat(feed(List.of(b), ZoneOffset.UTC,
                    event("order", "ann", "2026-03-01T10:03:00Z", data("channel", "web")))).hasSize(1);
        }

        @Test
        void aThresholdOfOneIsLikeFirstButRepeatable() {
            BadgeDefinition b = badge("each", BadgeDefinition.COUNT, "attend", 1L, true);
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("attend", "ann", "2026-03-01T10:00:00Z"),
                    event("attend", "ann", "2026-03-01T11:00:00Z"))).extracting(Award::nth).containsExactly(1, 2);
        }

        @Test
        void theSameHistoryAwardsTheSameIds() {
            BadgeDefinition b = badge("three", BadgeDefinition.COUNT, "attend", 3L, true);
            List<Award> first = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                first.addAll(engine.onEvent(event("attend", "ann", "2026-03-01T10:00:00Z"), List.of(b),
                        ZoneOffset.UTC, state));
            }
            InMemoryBadgeState replay = new InMemoryBadgeState();
            List<Award> again = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                again.addAll(engine.onEvent(event("attend", "ann", "2026-03-01T10:00:00Z"), List.of(b),
                        ZoneOffset.UTC, replay));
            }
            assertThat(again).extracting(Award::awardId).isEqualTo(first.stream().map(Award::awardId).toList());
        }
    }

    @Nested
    class Points {
        private PointsEntry entry(String id, long points, PointsEntryKind kind, String currency) {
            return new PointsEntry(id, "acme", "ann", "ev-" + id, "r", 1, points, currency, kind,
                    Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:00:01Z"), null, List.of(), null,
                    "order", null);
        }

        @Test
        void earnedPointsReachingTheThresholdEarnIt() {
            BadgeDefinition b = badge("hundred", BadgeDefinition.POINTS, null, 100L, false);
            assertThat(engine.onPoints(entry("1", 60, PointsEntryKind.AWARDED, "points"), List.of(b), ZoneOffset.UTC,
                    state)).isEmpty();
            List<Award> awards = engine.onPoints(entry("2", 40, PointsEntryKind.MANUAL, "points"), List.of(b),
                    ZoneOffset.UTC, state);
            assertThat(awards).extracting(Award::source).containsExactly("2");
        }

        @Test
        void redemptionsDoNotLowerAndOtherCurrenciesDoNotCount() {
            BadgeDefinition b = badge("hundred", BadgeDefinition.POINTS, null, 100L, false);
            engine.onPoints(entry("1", 90, PointsEntryKind.AWARDED, "points"), List.of(b), ZoneOffset.UTC, state);
            assertThat(engine.onPoints(entry("2", -50, PointsEntryKind.REDEEMED, "points"), List.of(b), ZoneOffset.UTC,
                    state)).isEmpty();
            assertThat(engine.onPoints(entry("3", 500, PointsEntryKind.AWARDED, "coins"), List.of(b), ZoneOffset.UTC,
                    state)).isEmpty();
            assertThat(engine.onPoints(entry("4", 10, PointsEntryKind.AWARDED, "points"), List.of(b), ZoneOffset.UTC,
                    state)).hasSize(1);
        }

        @Test
        void revokedPointsMustBeEarnedAgain() {
            BadgeDefinition b = badge("hundred", BadgeDefinition.POINTS, null, 100L, false);
            engine.onPoints(entry("1", 90, PointsEntryKind.AWARDED, "points"), List.of(b), ZoneOffset.UTC, state);
            engine.onPoints(entry("2", -30, PointsEntryKind.REVOKED, "points"), List.of(b), ZoneOffset.UTC, state);
            assertThat(engine.onPoints(entry("3", 30, PointsEntryKind.AWARDED, "points"), List.of(b), ZoneOffset.UTC,
                    state)).isEmpty();
            assertThat(engine.onPoints(entry("4", 10, PointsEntryKind.AWARDED, "points"), List.of(b), ZoneOffset.UTC,
                    state)).hasSize(1);
        }

        @Test
        void aLargeEntryCrossingSeveralThresholdsOfARepeatableBadgeEarnsEach() {
            BadgeDefinition b = badge("every-100", BadgeDefinition.POINTS, null, 100L, true);
            assertThat(engine.onPoints(entry("1", 350, PointsEntryKind.AWARDED, "points"), List.of(b), ZoneOffset.UTC,
                    state)).extracting(Award::nth).containsExactly(1, 2, 3);
        }
    }

    @Nested
    class Streak {
        private BadgeDefinition days(long n, boolean repeatable) {
            return badge("streak", BadgeDefinition.STREAK, "login", n, repeatable);
        }

        @Test
        void consecutiveDaysInTheTenantsZoneEarnIt() {
            // 23:30 UTC on March 1st is already March 2nd in Zurich
            List<Award> awards = feed(List.of(days(3, false)), ZURICH,
                    event("login", "ann", "2026-03-01T08:00:00Z"),
                    event("login", "ann", "2026-03-01T23:30:00Z"),
                    event("login", "ann", "2026-03-03T08:00:00Z"));
            assertThat(awards).hasSize(1);
            assertThat(awards.get(0).source()).isEqualTo("e3");
        }

        @Test
        void theSameDaysInUtcAreNoStreak() {
            assertThat(feed(List.of(days(3, false)), ZoneOffset.UTC,
                    event("login", "ann", "2026-03-01T08:00:00Z"),
                    event("login", "ann", "2026-03-01T23:30:00Z"),
                    event("login", "ann", "2026-03-03T08:00:00Z"))).isEmpty();
        }

        @Test
        void aMissedDayStartsAgain() {
            BadgeDefinition b = days(3, false);
            assertThat(feed(List.of(b), ZURICH, event("login", "ann", "2026-05-01T08:00:00Z"),
                    event("login", "ann", "2026-05-02T08:00:00Z"), event("login", "ann", "2026-05-04T08:00:00Z"),
                    event("login", "ann", "2026-05-05T08:00:00Z"))).isEmpty();
            assertThat(state.progress("acme", "ann", "streak").value()).isEqualTo(2);
            assertThat(feed(List.of(b), ZURICH, event("login", "ann", "2026-05-06T08:00:00Z"))).hasSize(1);
        }

        @Test
        void severalEventsOnOneDayCountOnce() {
            assertThat(feed(List.of(days(2, false)), ZURICH, event("login", "ann", "2026-05-01T06:00:00Z"),
                    event("login", "ann", "2026-05-01T07:00:00Z"), event("login", "ann", "2026-05-01T21:00:00Z")))
                    .isEmpty();
            assertThat(state.progress("acme", "ann", "streak").value()).isEqualTo(1);
        }

        @Test
        void aStreakRunsAcrossTheEndOfAMonthAndOfAYear() {
            assertThat(feed(List.of(days(3, false)), ZURICH, event("login", "ann", "2026-01-30T10:00:00Z"),
                    event("login", "ann", "2026-01-31T10:00:00Z"), event("login", "ann", "2026-02-01T10:00:00Z")))
                    .hasSize(1);
            assertThat(feed(List.of(badge("ny", BadgeDefinition.STREAK, "login", 2L, false)), ZURICH,
                    event("login", "ann", "2026-12-31T10:00:00Z"), // December 31st in Zurich
                    event("login", "ann", "2026-12-31T23:30:00Z"))).hasSize(1); // 00:30 on January 1st 2027 there
        }

        @Test
        void theShortDayOfDaylightSavingTimeIsOneDay() {
            // March 29th 2026 has 23 hours in Zurich: 00:30 local on the 29th and 23:30 local on the 29th,
            // then the 30th
            assertThat(feed(List.of(days(2, false)), ZURICH,
                    event("login", "ann", "2026-03-28T23:30:00Z"), // 00:30 on the 29th (CET)
                    event("login", "ann", "2026-03-29T21:30:00Z"))) // 23:30 on the 29th (CEST)
                    .isEmpty();
            assertThat(feed(List.of(days(2, false)), ZURICH,
                    event("login", "ann", "2026-03-29T22:30:00Z"))) // 00:30 on the 30th (CEST)
                    .hasSize(1);
        }

        @Test
        void theLongDayOfDaylightSavingTimeIsOneDay() {
            // October 25th 2026 has 25 hours in Zurich
            assertThat(feed(List.of(days(2, false)), ZURICH,
                    event("login", "ann", "2026-10-24T22:30:00Z"), // 00:30 on the 25th (CEST)
                    event("login", "ann", "2026-10-25T22:30:00Z"))) // 23:30 on the 25th (CET)
                    .isEmpty();
            assertThat(feed(List.of(days(2, false)), ZURICH,
                    event("login", "ann", "2026-10-25T23:30:00Z"))) // 00:30 on the 26th
                    .hasSize(1);
        }

        @Test
        void weeksStartOnMondayInTheZone() {
            BadgeDefinition weekly = with(badge("weeks", BadgeDefinition.STREAK, "login", 3L, false), null,
                    BadgeDefinition.WEEK, List.of(), null, true);
            // Sunday 23:30 UTC on March 1st is Monday March 2nd in Zurich: a new week there
            assertThat(feed(List.of(weekly), ZURICH, event("login", "ann", "2026-02-23T10:00:00Z"),
                    event("login", "ann", "2026-03-01T23:30:00Z"), event("login", "ann", "2026-03-09T10:00:00Z")))
                    .hasSize(1);
        }

        @Test
        void weeksAcrossTheYearBoundary() {
            BadgeDefinition weekly = with(badge("weeks", BadgeDefinition.STREAK, "login", 2L, false), null,
                    BadgeDefinition.WEEK, List.of(), null, true);
            // Wednesday December 30th 2026, then Monday January 4th 2027: consecutive weeks
            assertThat(feed(List.of(weekly), ZURICH, event("login", "ann", "2026-12-30T10:00:00Z"),
                    event("login", "ann", "2027-01-04T10:00:00Z"))).hasSize(1);
        }

        @Test
        void repeatableEarnsAtEveryMultipleOfTheStreak() {
            List<Award> awards = new ArrayList<>();
            for (int d = 1; d <= 7; d++) {
                awards.addAll(feed(List.of(days(3, true)), ZURICH, event("login", "ann",
                        "2026-06-0" + d + "T10:00:00Z")));
            }
            assertThat(awards).extracting(Award::reason).containsExactly("3 days in a row", "6 days in a row");
        }

        @Test
        void anEarlierDayThanTheStreaksLastChangesNothing() {
            BadgeDefinition b = days(3, false);
            feed(List.of(b), ZURICH, event("login", "ann", "2026-06-10T10:00:00Z"),
                    event("login", "ann", "2026-06-11T10:00:00Z"));
            assertThat(feed(List.of(b), ZURICH, event("login", "ann", "2026-06-01T10:00:00Z"))).isEmpty();
            assertThat(state.progress("acme", "ann", "streak").value()).isEqualTo(2);
        }
    }

    @Nested
    class Attendance {
        private final BadgeDefinition.Session morning = new BadgeDefinition.Session("s1",
                Instant.parse("2026-07-04T09:00:00Z"), Instant.parse("2026-07-04T10:00:00Z"), "1");
        private final BadgeDefinition.Session parallel = new BadgeDefinition.Session("s2",
                Instant.parse("2026-07-04T09:00:00Z"), Instant.parse("2026-07-04T10:00:00Z"), "2");
        private final BadgeDefinition.Session keynote = new BadgeDefinition.Session("k",
                Instant.parse("2026-07-04T12:00:00Z"), Instant.parse("2026-07-04T13:00:00Z"), null);

        private BadgeDefinition sessions(boolean repeatable, BadgeDefinition.Session... list) {
            return with(badge("attendee", BadgeDefinition.ATTENDANCE, "watch", null, repeatable), null, null,
                    List.of(list), null, true);
        }

        @Test
        void theStartIsInsideAndTheEndIsOutside() {
            BadgeDefinition b = sessions(false, keynote);
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("watch", "ann", "2026-07-04T11:59:59.999Z"))).isEmpty();
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("watch", "ann", "2026-07-04T12:00:00Z"))).hasSize(1);
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("watch", "bob", "2026-07-04T13:00:00Z"))).isEmpty();
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("watch", "bob", "2026-07-04T12:59:59.999Z"))).hasSize(1);
        }

        @Test
        void aSessionWithATrackTakesOnlyEventsOnThatTrack() {
            BadgeDefinition b = sessions(true, morning, parallel);
            List<Award> awards = feed(List.of(b), ZoneOffset.UTC,
                    event("watch", "ann", "2026-07-04T09:30:00Z", data("track", 2)));
            assertThat(awards).extracting(Award::reason).containsExactly("attended s2");
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("watch", "bob", "2026-07-04T09:30:00Z"))).isEmpty();
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("watch", "cy", "2026-07-04T09:30:00Z",
                    data("track", "3")))).isEmpty();
        }

        @Test
        void aSessionWithoutATrackTakesAnyEvent() {
            assertThat(feed(List.of(sessions(false, keynote)), ZoneOffset.UTC,
                    event("watch", "ann", "2026-07-04T12:30:00Z", data("track", "7")))).hasSize(1);
        }

        @Test
        void repeatableEarnsOncePerSessionAttended() {
            BadgeDefinition b = sessions(true, morning, keynote);
            List<Award> awards = feed(List.of(b), ZoneOffset.UTC,
                    event("watch", "ann", "2026-07-04T09:10:00Z", data("track", "1")),
                    event("watch", "ann", "2026-07-04T09:50:00Z", data("track", "1")),
                    event("watch", "ann", "2026-07-04T12:10:00Z"));
            assertThat(awards).extracting(Award::nth).containsExactly(1, 2);
            assertThat(state.progress("acme", "ann", "attendee").sessions()).containsExactly("s1", "k");
        }

        @Test
        void notRepeatableEarnsOnceButCountsEverySession() {
            BadgeDefinition b = sessions(false, morning, keynote);
            assertThat(feed(List.of(b), ZoneOffset.UTC,
                    event("watch", "ann", "2026-07-04T09:10:00Z", data("track", "1")),
                    event("watch", "ann", "2026-07-04T12:10:00Z"))).hasSize(1);
            assertThat(state.progress("acme", "ann", "attendee").value()).isEqualTo(2);
        }

        @Test
        void anotherTrackFieldCanBeNamed() {
            BadgeDefinition b = new BadgeDefinition("acme", "attendee", "A", null, null, BadgeDefinition.ATTENDANCE,
                    "watch", null, null, null, null, List.of(morning), "room", false, null, true, 1, Instant.EPOCH,
                    Instant.EPOCH);
            assertThat(feed(List.of(b), ZoneOffset.UTC, event("watch", "ann", "2026-07-04T09:30:00Z",
                    data("room", "1")))).hasSize(1);
        }
    }

    @Nested
    class GrantsAndExpiry {
        @Test
        void aManualBadgeIsGrantedOnceUnlessRepeatable() {
            BadgeDefinition egg = badge("egg", BadgeDefinition.MANUAL, null, null, false);
            Instant at = Instant.parse("2026-08-01T10:00:00Z");
            assertThat(engine.grant("acme", "ann", egg, at, "g1", ZoneOffset.UTC, state)).hasSize(1);
            assertThat(engine.grant("acme", "ann", egg, at, "g2", ZoneOffset.UTC, state)).isEmpty();
            BadgeDefinition again = badge("again", BadgeDefinition.MANUAL, null, null, true);
            engine.grant("acme", "ann", again, at, "g3", ZoneOffset.UTC, state);
            assertThat(engine.grant("acme", "ann", again, at, "g4", ZoneOffset.UTC, state))
                    .extracting(Award::nth).containsExactly(2);
        }

        @Test
        void manualBadgesAreNotEarnedByEvents() {
            BadgeDefinition egg = badge("egg", BadgeDefinition.MANUAL, "click", null, false);
            assertThat(feed(List.of(egg), ZoneOffset.UTC, event("click", "ann", "2026-08-01T10:00:00Z"))).isEmpty();
        }

        @Test
        void anExpiringAwardLapsesAfterItsPeriodInTheZone() {
            BadgeDefinition b = with(badge("month", BadgeDefinition.FIRST, "post", null, false), null, null, List.of(),
                    "P1M", true);
            List<Award> awards = feed(List.of(b), ZURICH, event("post", "ann", "2026-01-31T10:00:00Z"));
            // one month after January 31st is the last day of February
            assertThat(awards.get(0).expiresAt()).isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
        }
    }

    @Nested
    class Levels {
        private final io.laurel.events.catalog.LevelDefinition set = new io.laurel.events.catalog.LevelDefinition("acme",
                "ranks", "Ranks", "points", List.of(new io.laurel.events.catalog.LevelDefinition.Level(2, "Silver", 100),
                new io.laurel.events.catalog.LevelDefinition.Level(1, "Bronze", 10),
                new io.laurel.events.catalog.LevelDefinition.Level(3, "Gold", 1000)), true, 1, Instant.EPOCH, Instant.EPOCH);

        private PointsEntry entry(String id, long points, PointsEntryKind kind) {
            return new PointsEntry(id, "acme", "ann", "ev-" + id, "r", 1, points, "points", kind,
                    Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:00:01Z"), null, List.of(), null,
                    "order", null);
        }

        @Test
        void levelsAreOrderedByThresholdAndFound() {
            assertThat(set.levels()).extracting(io.laurel.events.catalog.LevelDefinition.Level::name)
                    .containsExactly("Bronze", "Silver", "Gold");
            assertThat(set.levelAt(9)).isEmpty();
            assertThat(set.levelAt(10).orElseThrow().name()).isEqualTo("Bronze");
            assertThat(set.levelAt(999).orElseThrow().name()).isEqualTo("Silver");
            assertThat(set.next(set.levelAt(150).orElseThrow()).orElseThrow().name()).isEqualTo("Gold");
            assertThat(set.next(null).orElseThrow().name()).isEqualTo("Bronze");
            assertThat(set.next(set.levelAt(5000).orElseThrow())).isEmpty();
        }

        @Test
        void eachLevelPassedIsReachedOnceInOrder() {
            assertThat(engine.onPointsLevels(entry("1", 5, PointsEntryKind.AWARDED), List.of(set), state)).isEmpty();
            assertThat(engine.onPointsLevels(entry("2", 200, PointsEntryKind.AWARDED), List.of(set), state))
                    .extracting(BadgeEngine.LevelUp::name).containsExactly("Bronze", "Silver");
            assertThat(engine.onPointsLevels(entry("3", 1, PointsEntryKind.AWARDED), List.of(set), state)).isEmpty();
        }

        @Test
        void redemptionsDoNotLowerTheLevelRevocationsDoAndItIsReachedOnlyOnce() {
            engine.onPointsLevels(entry("1", 150, PointsEntryKind.AWARDED), List.of(set), state);
            assertThat(engine.onPointsLevels(entry("2", -100, PointsEntryKind.REDEEMED), List.of(set), state)).isEmpty();
            assertThat(state.progress("acme", "ann", BadgeEngine.levelKey("ranks")).value()).isEqualTo(150);
            engine.onPointsLevels(entry("3", -100, PointsEntryKind.REVOKED), List.of(set), state);
            assertThat(state.progress("acme", "ann", BadgeEngine.levelKey("ranks")).awards()).isEqualTo(1);
            // back to Silver: reached again, with the same id as the first time
            List<BadgeEngine.LevelUp> again = engine.onPointsLevels(entry("4", 60, PointsEntryKind.AWARDED), List.of(set),
                    state);
            assertThat(again).extracting(BadgeEngine.LevelUp::name).containsExactly("Silver");
            assertThat(again.get(0).id()).isEqualTo(Award.idOf("acme", "ann", BadgeEngine.levelKey("ranks"), 2));
        }
    }
}
