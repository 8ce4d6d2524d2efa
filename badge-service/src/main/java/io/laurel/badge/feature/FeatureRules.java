package io.laurel.badge.feature;

import io.laurel.events.catalog.FeatureDefinition;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides which features one folded input unlocks for its user: pure, so a rebuild decides the same from the same
 * inputs. A feature unlocks once, at the time of the input that crossed its line; one already unlocked is never
 * unlocked again.
 */
public final class FeatureRules {
    private FeatureRules() {
    }

    /** What an input did for its user, as far as features care. */
    public record Facts(String tenant, String userId, Instant at, String source,
                        Map<String, Long> pointsEarned,
                        List<Awarded> awards,
                        List<LevelReached> levels,
                        List<Completed> challenges,
                        String grantedFeature) {
    }

    public record Awarded(String badgeId, Instant at) {
    }

    public record LevelReached(String levelSet, int number, Instant at) {
    }

    public record Completed(String challengeId, Instant at) {
    }

    /** A feature unlocked: its id ({@link #idOf}) names it in the achievement. */
    public record Unlocked(String id, String tenant, String userId, String featureId, String featureName, Instant at,
                           String source) {
    }

    /** The stable id of a user's unlock of a feature (the same in every generation). */
    public static String idOf(String tenant, String userId, String featureId) {
        return UUID.nameUUIDFromBytes((tenant + '\u241f' + userId + '\u241f' + "feature:" + featureId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The features among {@code features} that {@code facts} unlock, leaving out {@code unlocked} (their ids). */
    public static List<Unlocked> decide(List<FeatureDefinition> features, Facts facts, Set<String> unlocked) {
        List<Unlocked> out = new ArrayList<>();
        for (FeatureDefinition f : features) {
            if (!f.active() || unlocked.contains(f.id()) || f.unlock() == null) {
                continue;
            }
            Instant at = crossedAt(f.unlock(), f.id(), facts);
            if (at != null) {
                out.add(new Unlocked(idOf(facts.tenant(), facts.userId(), f.id()), facts.tenant(), facts.userId(), f.id(),
                        f.name(), at, facts.source()));
            }
        }
        return out;
    }

    /** When the input crossed the feature's line, or null when it did not. */
    static Instant crossedAt(FeatureDefinition.Unlock u, String featureId, Facts facts) {
        switch (u.kind()) {
            case FeatureDefinition.POINTS -> {
                String currency = u.currency() == null ? "points" : u.currency();
                Long earned = facts.pointsEarned().get(currency);
                return earned != null && u.threshold() != null && earned >= u.threshold() ? facts.at() : null;
            }
            case FeatureDefinition.BADGE -> {
                for (Awarded a : facts.awards()) {
                    if (a.badgeId().equals(u.badgeId())) {
                        return a.at();
                    }
                }
                return null;
            }
            case FeatureDefinition.LEVEL -> {
                for (LevelReached l : facts.levels()) {
                    if (l.levelSet().equals(u.levelSet()) && u.level() != null && l.number() >= u.level()) {
                        return l.at();
                    }
                }
                return null;
            }
            case FeatureDefinition.CHALLENGE -> {
                for (Completed c : facts.challenges()) {
                    if (c.challengeId().equals(u.challengeId())) {
                        return c.at();
                    }
                }
                return null;
            }
            case FeatureDefinition.MANUAL -> {
                return featureId.equals(facts.grantedFeature()) ? facts.at() : null;
            }
            default -> {
                return null;
            }
        }
    }
}
