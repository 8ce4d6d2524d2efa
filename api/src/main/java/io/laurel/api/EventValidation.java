package io.laurel.api;

/**
 * {@code POST /v1/events:validate}: the event would be accepted as it is (nothing is sent); an invalid one is answered
 * with the problem {@code POST /v1/events} would answer.
 */
public record EventValidation(boolean valid, String eventType, int eventTypeVersion, String userId) {
}
