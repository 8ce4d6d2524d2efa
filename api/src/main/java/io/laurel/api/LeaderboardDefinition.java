package io.laurel.api;

/** A leaderboard ({@code POST /v1/admin/leaderboards}): period all_time, yearly, monthly, weekly or daily, in {@code timeZone}; group_by user or group. */
public record LeaderboardDefinition(String id, String name, String currency, String period, String timeZone, String groupBy) {
}
