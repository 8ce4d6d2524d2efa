package io.laurel.api;

/**
 * {@code GET /v1/profiles/{profile_uuid}} (no key): {@code user} is the user id, obscured when it looks like an email;
 * {@code displayName} the name the user goes by, when one is set.
 */
public record PublicProfile(String profileUuid, String user, java.util.List<ProfileBadge> badges, String displayName) {
    public PublicProfile(String profileUuid, String user, java.util.List<ProfileBadge> badges) {
        this(profileUuid, user, badges, null);
    }
}
