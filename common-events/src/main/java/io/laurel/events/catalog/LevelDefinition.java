package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Levels on a currency: a user is at the highest level whose {@code threshold} the points earned in
 * {@code currency} (redemptions do not lower them) have reached. Numbers and thresholds both rise.
 */
public record LevelDefinition(
        String tenant,
        String id,
        String name,
        String currency,
        List<Level> levels,
        boolean active,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "level";

    /** One level: its number, its name, and the points it takes. */
    public record Level(int number, String name, long threshold) {
    }

    public LevelDefinition {
        levels = levels == null ? List.of() : levels.stream().sorted(Comparator.comparingLong(Level::threshold)).toList();
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }

    /** The level reached with {@code points}, if any. */
    public Optional<Level> levelAt(long points) {
        Level reached = null;
        for (Level l : levels) {
            if (points >= l.threshold()) {
                reached = l;
            }
        }
        return Optional.ofNullable(reached);
    }

    /** The level after {@code current} (or the first), if any. */
    public Optional<Level> next(Level current) {
        for (Level l : levels) {
            if (current == null || l.threshold() > current.threshold()) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
