package io.laurel.api;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** {@code POST /v1/admin/tenants/{tenant}/api-keys}: a name for people and the scopes the key grants. */
public record ApiKeyRequest(
        @Size(max = 200, message = "must be a string of at most 200 characters") String name,
        @NotEmpty(message = "must be a non-empty array of scopes")
        List<@NotNull(message = "must be a scope") String> scopes) {
}
