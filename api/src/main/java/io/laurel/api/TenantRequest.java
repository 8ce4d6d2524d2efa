package io.laurel.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code POST /v1/admin/tenants} (platform key; {@code id} required) and {@code PUT /v1/admin/tenants/{tenant}}
 * (name, time zone; the rate limit with the platform key only, {@code null} for none).
 */
public record TenantRequest(
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = ID) String id,
        @Size(max = 200, message = "must be a string of at most 200 characters") String name,
        String timeZone,
        @Valid RateLimit rateLimit) implements Checked {
    /** What a tenant id must be. */
    public static final String ID = "must be 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit";

    public static TenantRequest of(String id, String name) {
        return new TenantRequest(id, name, null, null);
    }

    /** The time zone's canonical id, or {@code null} when none is given or it names none. */
    public String zoneId() {
        try {
            return timeZone == null ? null : ZoneId.of(timeZone).getId();
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Override
    public List<FieldError> check() {
        return timeZone != null && zoneId() == null
                ? List.of(new FieldError("/time_zone", "must be an IANA time zone such as 'Europe/Zurich' or 'UTC'"))
                : List.of();
    }
}
