package io.laurel.badge.rule;

import java.time.Instant;

/**
 * A badge awarded to a user: the {@code nth} time for this user and badge (1 unless repeatable). The id is
 * derived from tenant, user, badge and {@code nth}, so a replay of the same history awards the same ids and
 * whoever receives an award twice recognises it.
 *
 * @param source    what earned it: an event id, a journal entry id, or a grant id
 * @param expiresAt when the award lapses, or null for never
 */
public record Award(String awardId, String tenant, String userId, String badgeId, int badgeVersion, int nth,
                    Instant awardedAt, Instant expiresAt, String source, String reason) {

    static String idOf(String tenant, String userId, String badgeId, int nth) {
        return java.util.UUID.nameUUIDFromBytes((tenant + '\u001F' + userId + '\u001F' + badgeId + '\u001F' + nth)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
