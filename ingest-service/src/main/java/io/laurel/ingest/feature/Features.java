package io.laurel.ingest.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.laurel.api.FeatureRequest;
import io.laurel.events.catalog.BadgeDefinition;
import io.laurel.events.catalog.ChallengeDefinition;
import io.laurel.events.catalog.FeatureDefinition;
import io.laurel.events.catalog.LevelDefinition;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.web.ProblemException.FieldError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A feature's declared form: checked here (what it names exists in the tenant), stored as its definition's body. */
public final class Features {
    public static final String KIND = FeatureDefinition.KIND;

    private Features() {
    }

    /** The badge, level set (and level) or challenge the unlock names, where the tenant has none: a pointer each. */
    static List<FieldError> unknownReferences(CatalogView catalog, String tenant, FeatureRequest request) {
        List<FieldError> errors = new ArrayList<>();
        FeatureRequest.Unlock u = request.unlock();
        if (u == null || u.kind() == null) {
            return errors;
        }
        switch (u.kind()) {
            case FeatureDefinition.BADGE -> {
                if (u.badgeId() != null && catalog.badge(tenant, u.badgeId()).filter(BadgeDefinition::active).isEmpty()) {
                    errors.add(new FieldError("/unlock/badge_id", "no badge '" + u.badgeId() + "' in this tenant"));
                }
            }
            case FeatureDefinition.LEVEL -> {
                if (u.levelSet() != null) {
                    var set = catalog.level(tenant, u.levelSet()).filter(LevelDefinition::active);
                    if (set.isEmpty()) {
                        errors.add(new FieldError("/unlock/level_set", "no level set '" + u.levelSet() + "' in this tenant"));
                    } else if (u.level() != null && set.get().levels().stream().noneMatch(l -> l.number() == u.level())) {
                        errors.add(new FieldError("/unlock/level", "level set '" + u.levelSet() + "' has no level "
                                + u.level()));
                    }
                }
            }
            case FeatureDefinition.CHALLENGE -> {
                if (u.challengeId() != null
                        && catalog.challenge(tenant, u.challengeId()).filter(ChallengeDefinition::active).isEmpty()) {
                    errors.add(new FieldError("/unlock/challenge_id", "no challenge '" + u.challengeId() + "' in this tenant"));
                }
            }
            default -> {
                // points (any currency may be earned) and manual name nothing
            }
        }
        return errors;
    }

    /** The body the catalog aggregate keeps: only what the unlock's kind uses. */
    static ObjectNode body(String id, FeatureRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("name", request.name() == null ? id : request.name())
                .put("description", request.description());
        FeatureRequest.Unlock u = request.unlock();
        ObjectNode unlock = body.putObject("unlock").put("kind", u.kind());
        switch (u.kind()) {
            case FeatureDefinition.POINTS -> unlock.put("currency", u.currency() == null ? "points" : u.currency())
                    .put("threshold", u.threshold());
            case FeatureDefinition.BADGE -> unlock.put("badge_id", u.badgeId());
            case FeatureDefinition.LEVEL -> unlock.put("level_set", u.levelSet()).put("level", u.level());
            case FeatureDefinition.CHALLENGE -> unlock.put("challenge_id", u.challengeId());
            default -> {
            }
        }
        return body;
    }

    public static FeatureDefinition toDefinition(String tenant, String id, JsonNode body, boolean active, int version,
                                                 Instant createdAt, Instant at) {
        JsonNode u = body.path("unlock");
        FeatureDefinition.Unlock unlock = new FeatureDefinition.Unlock(u.path("kind").asText(FeatureDefinition.MANUAL),
                text(u, "currency"), u.hasNonNull("threshold") ? u.get("threshold").asLong() : null,
                text(u, "badge_id"), text(u, "level_set"), u.hasNonNull("level") ? u.get("level").asInt() : null,
                text(u, "challenge_id"));
        return new FeatureDefinition(tenant, id, body.path("name").asText(id), text(body, "description"), unlock, active,
                version, createdAt, at);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
