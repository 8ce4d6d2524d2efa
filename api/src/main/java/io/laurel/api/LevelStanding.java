package io.laurel.api;

/** A user in one level set: points earned in its currency, the level reached (none below the first), the next one. */
public record LevelStanding(String levelSet, String name, String currency, long points, Level level, Level next) {
}
