package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/** A leaderboard of one tenant: which currency it ranks, over which period, by user or by group. */
public record LeaderboardDefinition(
        String tenant,
        String id,
        String name,
        String currency,
        String period,
        String timeZone,
        String groupBy,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "leaderboard";
    public static final String ALL_TIME = "all-time";

    /** The leaderboard every tenant has from the start. */
    public static LeaderboardDefinition allTime(String tenant) {
        return new LeaderboardDefinition(tenant, ALL_TIME, "All time", "points", "all_time", "UTC", "user", 1,
                Instant.EPOCH, Instant.EPOCH);
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }
}
