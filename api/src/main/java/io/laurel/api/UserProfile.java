package io.laurel.api;

/** A user's profile: the display name (absent when none is set) and the public profile's id. */
public record UserProfile(String userId, String displayName, String profileUuid) {
}
