package io.laurel.api;

/** What became of one event of a batch: {@code accepted}, {@code duplicate} (with {@code eventId}) or {@code rejected} (with {@code error}). */
public record BatchResult(int index, String status, String eventId, Problem error) {
}
