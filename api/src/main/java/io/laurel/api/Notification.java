package io.laurel.api;

import java.time.Instant;
import java.util.Map;

/** A notification of an achievement: {@code data} is the achievement as published; {@code readAt} once read. */
public record Notification(String id, String kind, String title, com.fasterxml.jackson.databind.JsonNode data, Instant createdAt,
                           boolean read, Instant readAt) {
}
