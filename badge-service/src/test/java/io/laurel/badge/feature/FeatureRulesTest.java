package io.laurel.badge.feature;

import io.laurel.events.catalog.FeatureDefinition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureRulesTest {
    private static final Instant AT = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant EARLIER = Instant.parse("2026-05-01T09:00:00Z");

    private static FeatureDefinition feature(String id, FeatureDefinition.Unlock unlock, boolean active) {
        return new FeatureDefinition("acme", id, "Feature " + id, null, unlock, active, 1, AT, AT);
    }

    private static FeatureDefinition feature(String id, FeatureDefinition.Unlock unlock) {
        return feature(id, unlock, true);
    }

    private static FeatureRules.Facts facts(Map<String, Long> points, List<FeatureRules.Awarded> awards,
                                            List<FeatureRules.LevelReached> levels, List<FeatureRules.Completed> done,
                                            String granted) {
        return new FeatureRules.Facts("acme", "ann", AT, "src-1", points, awards, levels, done, granted);
    }

    private static final FeatureDefinition POINTS_100 = feature("p100",
            new FeatureDefinition.Unlock("points", "points", 100L, null, null, null, null));
    private static final FeatureDefinition COINS_5 = feature("c5",
            new FeatureDefinition.Unlock("points", "coins", 5L, null, null, null, null));
    private static final FeatureDefinition BADGE = feature("b",
            new FeatureDefinition.Unlock("badge", null, null, "gold", null, null, null));
    private static final FeatureDefinition LEVEL_2 = feature("l2",
            new FeatureDefinition.Unlock("level", null, null, null, "ranks", 2, null));
    private static final FeatureDefinition CHALLENGE = feature("ch",
            new FeatureDefinition.Unlock("challenge", null, null, null, null, null, "onboarding"));
    private static final FeatureDefinition MANUAL = feature("m",
            new FeatureDefinition.Unlock("manual", null, null, null, null, null, null));
    private static final List<FeatureDefinition> ALL = List.of(POINTS_100, COINS_5, BADGE, LEVEL_2, CHALLENGE, MANUAL);

    private static List<String> unlocked(FeatureRules.Facts facts, Set<String> already) {
        return FeatureRules.decide(ALL, facts, already).stream().map(FeatureRules.Unlocked::featureId).toList();
    }

    @Test
    void pointsUnlockAtTheThresholdOfTheirCurrencyOnly() {
        assertThat(unlocked(facts(Map.of("points", 99L), List.of(), List.of(), List.of(), null), Set.of())).isEmpty();
        assertThat(unlocked(facts(Map.of("points", 100L), List.of(), List.of(), List.of(), null), Set.of()))
                .containsExactly("p100");
        assertThat(unlocked(facts(Map.of("coins", 500L), List.of(), List.of(), List.of(), null), Set.of()))
                .containsExactly("c5");
    }

    @Test
    void aFeatureAlreadyUnlockedIsNeverUnlockedAgain() {
        assertThat(unlocked(facts(Map.of("points", 1000L), List.of(), List.of(), List.of(), "m"), Set.of("p100", "m")))
                .isEmpty();
    }

    @Test
    void aBadgeUnlocksAtTheTimeOfItsAward() {
        List<FeatureRules.Unlocked> out = FeatureRules.decide(ALL, facts(Map.of(), List.of(
                new FeatureRules.Awarded("silver", AT), new FeatureRules.Awarded("gold", EARLIER)), List.of(), List.of(),
                null), Set.of());
        assertThat(out).singleElement().satisfies(u -> {
            assertThat(u.featureId()).isEqualTo("b");
            assertThat(u.at()).isEqualTo(EARLIER);
            assertThat(u.source()).isEqualTo("src-1");
            assertThat(u.featureName()).isEqualTo("Feature b");
        });
    }

    @Test
    void aLevelUnlocksWhenItOrAHigherOneOfItsSetIsReached() {
        assertThat(unlocked(facts(Map.of(), List.of(), List.of(new FeatureRules.LevelReached("ranks", 1, AT)), List.of(),
                null), Set.of())).isEmpty();
        assertThat(unlocked(facts(Map.of(), List.of(), List.of(new FeatureRules.LevelReached("other", 3, AT)), List.of(),
                null), Set.of())).isEmpty();
        assertThat(unlocked(facts(Map.of(), List.of(), List.of(new FeatureRules.LevelReached("ranks", 3, AT)), List.of(),
                null), Set.of())).containsExactly("l2");
    }

    @Test
    void aChallengeUnlocksWhenCompleted() {
        assertThat(unlocked(facts(Map.of(), List.of(), List.of(), List.of(new FeatureRules.Completed("onboarding", AT)),
                null), Set.of())).containsExactly("ch");
        assertThat(unlocked(facts(Map.of(), List.of(), List.of(), List.of(new FeatureRules.Completed("other", AT)),
                null), Set.of())).isEmpty();
    }

    @Test
    void aManualFeatureUnlocksOnlyByItsGrant() {
        assertThat(unlocked(facts(Map.of("points", 1000L), List.of(), List.of(), List.of(), null), Set.of("p100")))
                .isEmpty();
        assertThat(unlocked(facts(Map.of(), List.of(), List.of(), List.of(), "m"), Set.of())).containsExactly("m");
        assertThat(unlocked(facts(Map.of(), List.of(), List.of(), List.of(), "other"), Set.of())).isEmpty();
    }

    @Test
    void aRetiredFeatureUnlocksNothing() {
        FeatureDefinition retired = feature("r", new FeatureDefinition.Unlock("points", "points", 1L, null, null, null,
                null), false);
        assertThat(FeatureRules.decide(List.of(retired), facts(Map.of("points", 5L), List.of(), List.of(), List.of(),
                null), Set.of())).isEmpty();
    }

    @Test
    void theUnlockIdIsStableAndDistinctPerTenantUserAndFeature() {
        String id = FeatureRules.idOf("acme", "ann", "b");
        assertThat(FeatureRules.idOf("acme", "ann", "b")).isEqualTo(id);
        assertThat(List.of(FeatureRules.idOf("acme", "bob", "b"), FeatureRules.idOf("other", "ann", "b"),
                FeatureRules.idOf("acme", "ann", "c"))).doesNotContain(id).doesNotHaveDuplicates();
        assertThat(FeatureRules.decide(ALL, facts(Map.of(), List.of(), List.of(), List.of(), "m"), Set.of()).get(0).id())
                .isEqualTo(FeatureRules.idOf("acme", "ann", "m"));
    }
}
