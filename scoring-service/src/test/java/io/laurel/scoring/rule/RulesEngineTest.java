package io.laurel.scoring.rule;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventAction;
import io.laurel.events.PointsEntry;
import io.laurel.events.PointsEntryKind;
import io.laurel.events.catalog.RuleDefinition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RulesEngineTest {
    private static final Instant OCCURRED = Instant.parse("2026-05-01T08:00:00Z");
    private static final Instant RECEIVED = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant DEFINED = Instant.parse("2026-01-01T00:00:00Z");

    private static EventAccepted event(String eventId, String tenant, String type, EventAction action) {
        return new EventAccepted(eventId, tenant, type, 1, "user-42",
                JsonNodeFactory.instance.objectNode().put("amount", 10), action, null, OCCURRED, RECEIVED,
                List.of("team-a", "emea"));
    }

    private static EventAccepted purchase() {
        return event("evt-1", "acme", "purchase", EventAction.CREATE);
    }

    private static EventAccepted purchaseRemoved() {
        return event("evt-1", "acme", "purchase", EventAction.REMOVE);
    }

    private static RuleDefinition rule(String id, String type, long points, String currency, boolean active,
                                       int version, String tenant) {
        return new RuleDefinition(tenant, id, "Rule " + id, type, points, currency, null, null, null, active, version,
                DEFINED, DEFINED);
    }

    private static RuleDefinition rule(String id, long points, String currency) {
        return rule(id, "purchase", points, currency, true, 1, "acme");
    }

    @Test
    void oneRuleAwardsItsPointsInItsCurrency() {
        List<PointsEntry> entries = RulesEngine.entriesFor(purchase(), List.of(rule("r1", 40, "coins")));

        assertThat(entries).hasSize(1);
        PointsEntry entry = entries.get(0);
        assertThat(entry.points()).isEqualTo(40);
        assertThat(entry.currency()).isEqualTo("coins");
        assertThat(entry.kind()).isEqualTo(PointsEntryKind.AWARDED);
    }

    @Test
    void awardTracesBackToTheRuleVersionAndTheEvent() {
        RuleDefinition rule = rule("r1", "purchase", 40, "coins", true, 7, "acme");

        PointsEntry entry = RulesEngine.entriesFor(purchase(), List.of(rule)).get(0);

        assertThat(entry.ruleId()).isEqualTo("r1");
        assertThat(entry.ruleVersion()).isEqualTo(7);
        assertThat(entry.eventId()).isEqualTo("evt-1");
        assertThat(entry.occurredAt()).isEqualTo(OCCURRED);
        assertThat(entry.recordedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void awardBelongsToTheEventsTenantUserAndGroups() {
        PointsEntry entry = RulesEngine.entriesFor(purchase(), List.of(rule("r1", 40, "coins"))).get(0);

        assertThat(entry.tenant()).isEqualTo("acme");
        assertThat(entry.userId()).isEqualTo("user-42");
        assertThat(entry.groups()).containsExactly("team-a", "emea");
        assertThat(entry.key()).isEqualTo(purchase().key());
        assertThat(entry.recalculation()).isNull();
    }

    @Test
    void awardIsDescribedByTheRuleName() {
        PointsEntry entry = RulesEngine.entriesFor(purchase(), List.of(rule("r1", 40, "coins"))).get(0);

        assertThat(entry.description()).isEqualTo("Rule r1");
    }

    @Test
    void severalRulesOnOneTypeEachAwardInRuleOrder() {
        List<PointsEntry> entries = RulesEngine.entriesFor(purchase(),
                List.of(rule("r1", 40, "coins"), rule("r2", 5, "xp"), rule("r3", 1, "coins")));

        assertThat(entries).extracting(PointsEntry::ruleId).containsExactly("r1", "r2", "r3");
        assertThat(entries).extracting(PointsEntry::points).containsExactly(40L, 5L, 1L);
        assertThat(entries).extracting(PointsEntry::currency).containsExactly("coins", "xp", "coins");
        assertThat(entries).extracting(PointsEntry::entryId).doesNotHaveDuplicates();
    }

    @Test
    void noRulesGiveNothing() {
        assertThat(RulesEngine.entriesFor(purchase(), List.of())).isEmpty();
    }

    @Test
    void ruleOnAnotherTypeGivesNothing() {
        assertThat(RulesEngine.entriesFor(purchase(), List.of(rule("r1", "login", 40, "coins", true, 1, "acme"))))
                .isEmpty();
    }

    @Test
    void eventTypeMustMatchExactly() {
        assertThat(RulesEngine.entriesFor(purchase(), List.of(rule("r1", "Purchase", 40, "coins", true, 1, "acme"),
                rule("r2", "purchase.refund", 40, "coins", true, 1, "acme")))).isEmpty();
    }

    @Test
    void inactiveRuleGivesNothing() {
        assertThat(RulesEngine.entriesFor(purchase(), List.of(rule("r1", "purchase", 40, "coins", false, 1, "acme"))))
                .isEmpty();
    }

    @Test
    void ruleOfAnotherTenantGivesNothing() {
        assertThat(RulesEngine.entriesFor(purchase(), List.of(rule("r1", "purchase", 40, "coins", true, 1, "globex"))))
                .isEmpty();
    }

    @Test
    void zeroPointRuleGivesNothing() {
        assertThat(RulesEngine.entriesFor(purchase(), List.of(rule("r1", 0, "coins")))).isEmpty();
    }

    @Test
    void onlyTheApplicableRulesOfAMixedListAward() {
        List<RuleDefinition> rules = List.of(
                rule("other-type", "login", 1, "coins", true, 1, "acme"),
                rule("applies", "purchase", 10, "coins", true, 1, "acme"),
                rule("inactive", "purchase", 20, "coins", false, 1, "acme"),
                rule("other-tenant", "purchase", 30, "coins", true, 1, "globex"),
                rule("zero", "purchase", 0, "coins", true, 1, "acme"),
                rule("also-applies", "purchase", 50, "xp", true, 2, "acme"));

        assertThat(RulesEngine.entriesFor(purchase(), rules)).extracting(PointsEntry::ruleId)
                .containsExactly("applies", "also-applies");
    }

    @Test
    void removeRevokesThePointsOfEachRule() {
        List<PointsEntry> entries = RulesEngine.entriesFor(purchaseRemoved(),
                List.of(rule("r1", 40, "coins"), rule("r2", 5, "xp")));

        assertThat(entries).extracting(PointsEntry::points).containsExactly(-40L, -5L);
        assertThat(entries).extracting(PointsEntry::kind).containsOnly(PointsEntryKind.REVOKED);
        assertThat(entries).extracting(PointsEntry::currency).containsExactly("coins", "xp");
    }

    @Test
    void revocationTracesBackToTheRuleAndTheRemoveEvent() {
        PointsEntry entry = RulesEngine.entriesFor(purchaseRemoved(), List.of(rule("r1", 40, "coins"))).get(0);

        assertThat(entry.ruleId()).isEqualTo("r1");
        assertThat(entry.ruleVersion()).isEqualTo(1);
        assertThat(entry.eventId()).isEqualTo("evt-1");
        assertThat(entry.occurredAt()).isEqualTo(OCCURRED);
        assertThat(entry.description()).startsWith("Revoked: ").endsWith("Rule r1");
    }

    @Test
    void revocationHasAnotherEntryIdThanTheAward() {
        RuleDefinition rule = rule("r1", 40, "coins");

        String awarded = RulesEngine.entriesFor(purchase(), List.of(rule)).get(0).entryId();
        String revoked = RulesEngine.entriesFor(purchaseRemoved(), List.of(rule)).get(0).entryId();

        assertThat(revoked).isNotEqualTo(awarded);
    }

    @Test
    void removeOfAnInactiveOrZeroRuleRevokesNothing() {
        assertThat(RulesEngine.entriesFor(purchaseRemoved(), List.of(rule("r1", "purchase", 40, "coins", false, 1,
                "acme"), rule("r2", 0, "coins")))).isEmpty();
    }

    @Test
    void entryIdIsAUuid() {
        String id = RulesEngine.entriesFor(purchase(), List.of(rule("r1", 40, "coins"))).get(0).entryId();

        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }

    @Test
    void sameEventAndRuleGiveTheSameEntryId() {
        RuleDefinition rule = rule("r1", 40, "coins");

        PointsEntry first = RulesEngine.entriesFor(purchase(), List.of(rule)).get(0);
        PointsEntry redelivered = RulesEngine.entriesFor(purchase(), List.of(rule)).get(0);

        assertThat(redelivered.entryId()).isEqualTo(first.entryId());
        assertThat(redelivered).isEqualTo(first);
    }

    @Test
    void entryIdDoesNotDependOnTheOtherRules() {
        RuleDefinition rule = rule("r1", 40, "coins");

        String alone = RulesEngine.entriesFor(purchase(), List.of(rule)).get(0).entryId();
        String amongOthers = RulesEngine.entriesFor(purchase(), List.of(rule("r0", 1, "xp"), rule)).get(1).entryId();

        assertThat(amongOthers).isEqualTo(alone);
    }

    @Test
    void entryIdDiffersByRuleVersion() {
        String v1 = RulesEngine.entriesFor(purchase(), List.of(rule("r1", "purchase", 40, "coins", true, 1, "acme")))
                .get(0).entryId();
        String v2 = RulesEngine.entriesFor(purchase(), List.of(rule("r1", "purchase", 40, "coins", true, 2, "acme")))
                .get(0).entryId();

        assertThat(v2).isNotEqualTo(v1);
    }

    @Test
    void entryIdDiffersByRule() {
        List<PointsEntry> entries = RulesEngine.entriesFor(purchase(),
                List.of(rule("r1", 40, "coins"), rule("r2", 40, "coins")));

        assertThat(entries.get(0).entryId()).isNotEqualTo(entries.get(1).entryId());
    }

    @Test
    void entryIdDiffersByEvent() {
        RuleDefinition rule = rule("r1", 40, "coins");

        String first = RulesEngine.entriesFor(purchase(), List.of(rule)).get(0).entryId();
        String other = RulesEngine.entriesFor(event("evt-2", "acme", "purchase", EventAction.CREATE), List.of(rule))
                .get(0).entryId();

        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void entryIdDoesNotDependOnThePointsOrCurrency() {
        String before = RulesEngine.entriesFor(purchase(), List.of(rule("r1", 40, "coins"))).get(0).entryId();
        String after = RulesEngine.entriesFor(purchase(), List.of(rule("r1", 60, "xp"))).get(0).entryId();

        assertThat(after).isEqualTo(before);
    }
}
