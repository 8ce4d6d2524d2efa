package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.laurel.events.time.CalendarPeriod;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A leaderboard: the points of one currency, summed per user (or per group an entry carries) in calendar
 * periods of a time zone ({@code all_time}, {@code yearly}, {@code quarterly}, {@code monthly},
 * {@code weekly} from Monday, {@code daily}), optionally only between {@code start_date} and
 * {@code end_date} (inclusive, in that zone). Equal scores are ranked by {@code tie_strategy}:
 * {@code competition} ("1224"), {@code dense} ("1223") or {@code first_to_reach} (who reached the score
 * first ranks higher). Redemptions lower the score only with {@code redemptions_lower}; penalties always do.
 */
public record LeaderboardDefinition(
        String tenant,
        String id,
        String name,
        String currency,
        String period,
        String timeZone,
        String groupBy,
        String tieStrategy,
        LocalDate startDate,
        LocalDate endDate,
        boolean redemptionsLower,
        boolean active,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "leaderboard";
    public static final String ALL_TIME = "all-time";
    public static final String GROUP_BY_USER = "user";
    public static final String GROUP_BY_GROUP = "group";
    public static final String TIE_COMPETITION = "competition";
    public static final String TIE_DENSE = "dense";
    public static final String TIE_FIRST_TO_REACH = "first_to_reach";

    public LeaderboardDefinition {
        period = period == null ? "all_time" : period;
        groupBy = groupBy == null ? GROUP_BY_USER : groupBy;
        tieStrategy = tieStrategy == null ? TIE_COMPETITION : tieStrategy;
    }

    /** The leaderboard every tenant has from the start. */
    public static LeaderboardDefinition allTime(String tenant) {
        return new LeaderboardDefinition(tenant, ALL_TIME, "All time", "points", "all_time", "UTC", GROUP_BY_USER,
                TIE_COMPETITION, null, null, false, true, 1, Instant.EPOCH, Instant.EPOCH);
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }

    @JsonIgnore
    public CalendarPeriod calendarPeriod() {
        return CalendarPeriod.parse(period);
    }

    @JsonIgnore
    public ZoneId zone() {
        return io.laurel.events.time.Zones.orUtc(timeZone);
    }

    /** Whether an entry that happened at {@code occurredAt} falls between the board's start and end dates. */
    public boolean covers(Instant occurredAt) {
        if (startDate == null && endDate == null) {
            return true;
        }
        LocalDate day = occurredAt.atZone(zone()).toLocalDate();
        return (startDate == null || !day.isBefore(startDate)) && (endDate == null || !day.isAfter(endDate));
    }
}
