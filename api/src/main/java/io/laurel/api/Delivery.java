package io.laurel.api;

import java.time.Instant;
import java.util.List;

/** A webhook delivery of one achievement: {@code pending} (with its next attempt), {@code delivered} or {@code failed}. */
public record Delivery(String id, String awardId, String kind, String url, String status, int attempts, Integer lastStatus,
                       String lastError, Instant createdAt, Instant deliveredAt, Instant nextAttemptAt,
                       List<DeliveryAttempt> log) {
}
