package io.laurel.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.time.Period;
import java.util.List;

/**
 * A badge and what earns it ({@code badge_kind}; {@code kind} in the admin API, where the catalog's own
 * {@code kind} of definition is implied):
 * <ul>
 *   <li>{@code first}: the first event of {@code event_type} (that meets {@code condition});</li>
 *   <li>{@code count}: the {@code threshold}-th such event;</li>
 *   <li>{@code points}: the points of {@code currency} earned (redemptions do not lower them) reaching
 *       {@code threshold};</li>
 *   <li>{@code streak}: events of {@code event_type} on {@code threshold} consecutive days (or weeks, from
 *       Monday, with {@code streak_unit} {@code week}) in the tenant's time zone;</li>
 *   <li>{@code attendance}: an event of {@code event_type} while one of its {@code sessions} runs (from its
 *       start, inclusive, to its end, exclusive), on the session's track when the session has one (the
 *       event's {@code track_field} of {@code event_data}, default {@code track});</li>
 *   <li>{@code manual}: only granted through the API (easter eggs, special badges).</li>
 * </ul>
 * A badge is awarded once, or with {@code repeatable} again each time it is earned anew (every
 * {@code threshold} more events or points, every further {@code threshold} days of a streak, every further
 * session attended, every grant); each award counts. An award expires {@code expires_after} (an ISO-8601
 * period such as {@code P30D}) after it was made, or never. {@code certificate_template} names the certificate
 * template its awards are rendered with ({@code GET /v1/certificates/{award_id}}); without one, the platform's own.
 */
public record BadgeDefinition(
        String tenant,
        String id,
        String name,
        String description,
        String imageUrl,
        String badgeKind,
        String eventType,
        Long threshold,
        String currency,
        String condition,
        String streakUnit,
        List<Session> sessions,
        String trackField,
        boolean repeatable,
        String expiresAfter,
        String certificateTemplate,
        boolean active,
        int version,
        Instant createdAt,
        Instant updatedAt) implements CatalogDefinition {
    public static final String KIND = "badge";
    public static final String FIRST = "first";
    public static final String COUNT = "count";
    public static final String POINTS = "points";
    public static final String STREAK = "streak";
    public static final String ATTENDANCE = "attendance";
    public static final String MANUAL = "manual";
    public static final List<String> KINDS = List.of(FIRST, COUNT, POINTS, STREAK, ATTENDANCE, MANUAL);
    public static final String DAY = "day";
    public static final String WEEK = "week";

    /** A session of an attendance badge: its window and, optionally, its track. */
    public record Session(String id, Instant start, Instant end, String track) {
        /** Whether {@code at} falls in the window: from the start, inclusive, to the end, exclusive. */
        public boolean covers(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }
    }

    /** A badge without a certificate template of its own. */
    public BadgeDefinition(String tenant, String id, String name, String description, String imageUrl, String badgeKind,
                           String eventType, Long threshold, String currency, String condition, String streakUnit,
                           List<Session> sessions, String trackField, boolean repeatable, String expiresAfter,
                           boolean active, int version, Instant createdAt, Instant updatedAt) {
        this(tenant, id, name, description, imageUrl, badgeKind, eventType, threshold, currency, condition, streakUnit,
                sessions, trackField, repeatable, expiresAfter, null, active, version, createdAt, updatedAt);
    }

    public BadgeDefinition {
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
        streakUnit = streakUnit == null ? DAY : streakUnit;
        trackField = trackField == null ? "track" : trackField;
    }

    @JsonIgnore
    @Override
    public String kind() {
        return KIND;
    }

    /** How long an award lasts, or null for ever. */
    @JsonIgnore
    public Period validity() {
        return expiresAfter == null ? null : Period.parse(expiresAfter);
    }
}
