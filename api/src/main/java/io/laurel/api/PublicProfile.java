package io.laurel.api;

/** {@code GET /v1/profiles/{profile_uuid}} (no key): {@code user} is the user id, obscured when it looks like an email. */
public record PublicProfile(String profileUuid, String user, java.util.List<ProfileBadge> badges) {
}
