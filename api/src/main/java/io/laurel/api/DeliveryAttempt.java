package io.laurel.api;

import java.time.Instant;

/** One attempt of a webhook delivery: the HTTP status answered (none when it could not connect) or the error. */
public record DeliveryAttempt(int attempt, Instant at, Integer status, String error, long millis) {
}
