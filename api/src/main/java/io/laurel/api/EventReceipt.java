package io.laurel.api;

/** The answer to an event: {@code accepted} (202) or {@code duplicate} (200, with the first event's id); with {@code wait=badges} also the badges it earned. */
public record EventReceipt(String eventId, String status, Boolean badgesDecided, Boolean badgeEarned, java.util.List<java.util.Map<String, Object>> badges) {
}
