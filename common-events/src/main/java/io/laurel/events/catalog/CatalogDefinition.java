package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.laurel.events.Keys;

import java.time.Instant;

/**
 * One definition of the catalog, as published to the compacted {@code laurel.catalog} topic (latest
 * version per key; a tombstone deletes). Every service folds this topic into its local catalog.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TenantDefinition.class, name = TenantDefinition.KIND),
        @JsonSubTypes.Type(value = ApiKeyDefinition.class, name = ApiKeyDefinition.KIND),
        @JsonSubTypes.Type(value = EventTypeDefinition.class, name = EventTypeDefinition.KIND),
        @JsonSubTypes.Type(value = RuleDefinition.class, name = RuleDefinition.KIND),
        @JsonSubTypes.Type(value = LeaderboardDefinition.class, name = LeaderboardDefinition.KIND),
        @JsonSubTypes.Type(value = BadgeDefinition.class, name = BadgeDefinition.KIND),
        @JsonSubTypes.Type(value = LevelDefinition.class, name = LevelDefinition.KIND),
        @JsonSubTypes.Type(value = ChallengeDefinition.class, name = ChallengeDefinition.KIND),
        @JsonSubTypes.Type(value = FeatureDefinition.class, name = FeatureDefinition.KIND),
        @JsonSubTypes.Type(value = CertificateTemplateDefinition.class, name = CertificateTemplateDefinition.KIND)
})
public sealed interface CatalogDefinition
        permits TenantDefinition, ApiKeyDefinition, EventTypeDefinition, RuleDefinition, LeaderboardDefinition,
        BadgeDefinition, LevelDefinition, ChallengeDefinition, FeatureDefinition, CertificateTemplateDefinition {

    String tenant();

    String id();

    int version();

    Instant updatedAt();

    String kind();

    default String key() {
        return Keys.catalog(tenant(), kind(), id());
    }

    /** The kind part of a catalog key ({@code tenant/kind/id}). */
    static String kindOfKey(String key) {
        int first = key.indexOf('/');
        int last = key.lastIndexOf('/');
        return first < 0 || last <= first ? "" : key.substring(first + 1, last);
    }
}
