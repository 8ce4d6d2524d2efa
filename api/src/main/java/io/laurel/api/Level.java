package io.laurel.api;

/** A level of a level set: reached ({@code levelSet} named in the summary), or the next one with the points missing. */
public record Level(int number, String name, long threshold, Long pointsNeeded, String levelSet) {
}
