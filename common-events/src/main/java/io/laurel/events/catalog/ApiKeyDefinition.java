package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.Set;

/**
 * An API key of one tenant. Only the SHA-256 of the secret is ever stored or published; the secret
 * itself is shown once, when the key is created.
 */
public record ApiKeyDefinition(
        String tenant,
        String id,
        String name,
        String keyHash,
        Set<String> scopes,
        boolean manageTenants,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "api-key";

    public ApiKeyDefinition {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }
}
