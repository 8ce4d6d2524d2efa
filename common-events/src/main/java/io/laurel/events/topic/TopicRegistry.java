package io.laurel.events.topic;

import io.laurel.events.Achievement;
import io.laurel.events.EventAccepted;
import io.laurel.events.EventEnvelope;
import io.laurel.events.PointsEntry;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.json.JsonSerde;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every topic of Laurel, declared once. Nobody writes a topic name as a string elsewhere: names are
 * {@code <prefix>.<topic>}, the prefix ({@code laurel} by default) lets several installations or test
 * classes share one cluster.
 */
public final class TopicRegistry {
    public static final String DEFAULT_PREFIX = "laurel";
    public static final int DEFAULT_PARTITIONS = 6;
    private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,100}");

    private final String prefix;
    private final TopicSpec<EventEnvelope> eventsInbound;
    private final TopicSpec<EventAccepted> events;
    private final TopicSpec<EventEnvelope> eventsRejected;
    private final TopicSpec<CatalogDefinition> catalog;
    private final TopicSpec<PointsEntry> points;
    private final TopicSpec<Achievement> achievements;

    public TopicRegistry(String prefix, int partitions) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix must match " + PREFIX + ": " + prefix);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        eventsInbound = new TopicSpec<>(prefix + ".events.inbound", "tenant/user",
                new JsonSerde<>(EventEnvelope.class), partitions, Duration.ofDays(7), false);
        events = new TopicSpec<>(prefix + ".events", "tenant/user",
                new JsonSerde<>(EventAccepted.class), partitions, null, false);
        eventsRejected = new TopicSpec<>(prefix + ".events.rejected", "tenant/user",
                new JsonSerde<>(EventEnvelope.class), partitions, Duration.ofDays(30), false);
        // One partition: the catalog is small, and a single order keeps "rule before event" causal.
        catalog = new TopicSpec<>(prefix + ".catalog", "tenant/kind/id",
                new JsonSerde<>(CatalogDefinition.class), 1, null, true);
        points = new TopicSpec<>(prefix + ".points", "tenant/user",
                new JsonSerde<>(PointsEntry.class), partitions, null, false);
        achievements = new TopicSpec<>(prefix + ".achievements", "tenant/user",
                new JsonSerde<>(Achievement.class), partitions, null, false);
    }

    public TopicRegistry() {
        this(DEFAULT_PREFIX, DEFAULT_PARTITIONS);
    }

    public String prefix() {
        return prefix;
    }

    public TopicSpec<EventEnvelope> eventsInbound() {
        return eventsInbound;
    }

    public TopicSpec<EventAccepted> events() {
        return events;
    }

    public TopicSpec<EventEnvelope> eventsRejected() {
        return eventsRejected;
    }

    public TopicSpec<CatalogDefinition> catalog() {
        return catalog;
    }

    public TopicSpec<PointsEntry> points() {
        return points;
    }

    public TopicSpec<Achievement> achievements() {
        return achievements;
    }

    /** The main topics, without their dead-letter topics. */
    public List<TopicSpec<?>> mainTopics() {
        return List.of(eventsInbound, events, eventsRejected, catalog, points, achievements);
    }

    /** Every topic the platform creates at start-up: the main topics and a dead-letter topic for each consumed one. */
    public List<TopicSpec<?>> all() {
        List<TopicSpec<?>> all = new ArrayList<>(mainTopics());
        for (TopicSpec<?> t : List.of(eventsInbound, events, catalog, points, achievements)) {
            all.add(t.deadLetter());
        }
        return List.copyOf(all);
    }

    /** The dead-letter topic name of a consumed topic. */
    public String deadLetterOf(String topic) {
        return topic + ".dlt";
    }
}
