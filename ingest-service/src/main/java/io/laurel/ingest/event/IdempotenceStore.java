package io.laurel.ingest.event;

import io.laurel.runtime.db.SharedSchema;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Remembers idempotence keys per tenant and event type, in PostgreSQL, so a repeat counts once, also
 * across restarts. A key is claimed before the event is appended and marked once Kafka acknowledged. The claim
 * holds a lease while its request appends ({@code sending_until}): a repeat arriving meanwhile waits for the
 * acknowledgement and answers "duplicate", so concurrent repeats append one record. A claim whose request failed
 * (lease released) or died (lease expired) is taken over by the next repeat, which appends again with the first
 * event id, which every downstream fold already treats as the same event.
 */
@Component
public class IdempotenceStore {
    private final DatabaseClient db;
    private final DataSource dataSource;

    public IdempotenceStore(DatabaseClient db, DataSource dataSource) throws SQLException {
        this.db = db;
        this.dataSource = dataSource;
        SharedSchema.create(dataSource, "ingest", st -> {
            st.execute("CREATE TABLE IF NOT EXISTS ingest.idempotence_keys (tenant text NOT NULL,"
                    + " event_type text NOT NULL, idem_key text NOT NULL, event_id text NOT NULL,"
                    + " acked boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (tenant, event_type, idem_key))");
            // until when the request that claimed (or took over) the key is appending its event, and its token
            st.execute("ALTER TABLE ingest.idempotence_keys ADD COLUMN IF NOT EXISTS sending_until timestamptz");
            st.execute("ALTER TABLE ingest.idempotence_keys ADD COLUMN IF NOT EXISTS lease text");
        });
    }

    /**
     * The key an event claims: its idempotence key, in a separate space for removes, so the remove that
     * undoes a create may (and should) carry the create's key, and a repeated remove still counts once.
     */
    public static String scopedKey(io.laurel.events.EventAccepted event) {
        return event.eventAction() == io.laurel.events.EventAction.REMOVE
                ? "\u001Fremove\u001F" + event.idempotenceKey() : event.idempotenceKey();
    }

    /**
     * The outcome of claiming a key: whether this request created the claim ({@code first}), whether it holds the
     * lease to append the event now ({@code sending}: the first, or a repeat that took over an abandoned claim),
     * the event id to use, and whether Kafka has acknowledged the event already.
     */
    public record Claim(boolean first, boolean sending, String eventId, boolean acked, String lease) {
        public Claim(boolean first, String eventId, boolean acked) {
            this(first, first, eventId, acked, null);
        }
    }

    private static String newLease() {
        return java.util.UUID.randomUUID().toString();
    }

    /** Claims the key, holding the lease for {@code lease}; a key claimed before is {@link #reclaim}ed. */
    public Mono<Claim> claim(String tenant, String eventType, String key, String eventId, java.time.Duration lease) {
        String token = newLease();
        return db.sql("INSERT INTO ingest.idempotence_keys(tenant, event_type, idem_key, event_id, sending_until, lease)"
                        + " VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond', $6)"
                        + " ON CONFLICT (tenant, event_type, idem_key) DO NOTHING RETURNING event_id")
                .bind(0, tenant).bind(1, eventType).bind(2, key).bind(3, eventId).bind(4, lease.toMillis()).bind(5, token)
                .map(row -> new Claim(true, true, row.get(0, String.class), false, token))
                .one()
                .switchIfEmpty(Mono.defer(() -> reclaim(tenant, eventType, key, lease)));
    }

    /**
     * A key claimed before: acknowledged (a duplicate), being appended by another request (wait and look again),
     * or abandoned (its lease released or expired, never acknowledged): then this request takes the lease over.
     */
    public Mono<Claim> reclaim(String tenant, String eventType, String key, java.time.Duration lease) {
        String token = newLease();
        return db.sql("UPDATE ingest.idempotence_keys SET sending_until = now() + $4 * interval '1 millisecond',"
                        + " lease = $5 WHERE tenant = $1 AND event_type = $2 AND idem_key = $3 AND NOT acked"
                        + " AND (sending_until IS NULL OR sending_until < now()) RETURNING event_id")
                .bind(0, tenant).bind(1, eventType).bind(2, key).bind(3, lease.toMillis()).bind(4, token)
                .map(row -> new Claim(false, true, row.get(0, String.class), false, token))
                .one()
                .switchIfEmpty(Mono.defer(() -> db.sql("SELECT event_id, acked FROM ingest.idempotence_keys"
                                + " WHERE tenant = $1 AND event_type = $2 AND idem_key = $3")
                        .bind(0, tenant).bind(1, eventType).bind(2, key)
                        .map(row -> new Claim(false, false, row.get(0, String.class),
                                Boolean.TRUE.equals(row.get(1, Boolean.class)), null))
                        .one()));
    }

    public Mono<Void> acknowledge(String tenant, String eventType, String key) {
        return db.sql("UPDATE ingest.idempotence_keys SET acked = true, sending_until = NULL"
                        + " WHERE tenant = $1 AND event_type = $2 AND idem_key = $3")
                .bind(0, tenant).bind(1, eventType).bind(2, key)
                .then();
    }

    /**
     * The append failed for certain (Kafka refused it): the next repeat may take the claim over at once. Only the
     * holder of the lease {@code token} releases it; a lease taken over meanwhile stays with its new holder.
     */
    public Mono<Void> release(String tenant, String eventType, String key, String token) {
        return db.sql("UPDATE ingest.idempotence_keys SET sending_until = NULL"
                        + " WHERE tenant = $1 AND event_type = $2 AND idem_key = $3 AND NOT acked AND lease = $4")
                .bind(0, tenant).bind(1, eventType).bind(2, key).bind(3, token)
                .then();
    }

    /** The same claim, blocking (JDBC), for the Kafka ingest thread. */
    public Claim claimBlocking(String tenant, String eventType, String key, String eventId) throws SQLException {
        // the Kafka ingest appends in a transaction and acknowledges after its commit: an HTTP repeat meanwhile
        // waits for that (a lease of 30 s) instead of appending too
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO ingest.idempotence_keys(tenant, event_type,"
                     + " idem_key, event_id, sending_until) VALUES (?, ?, ?, ?, now() + interval '30 seconds')"
                     + " ON CONFLICT (tenant, event_type, idem_key) DO NOTHING")) {
            insert.setString(1, tenant);
            insert.setString(2, eventType);
            insert.setString(3, key);
            insert.setString(4, eventId);
            if (insert.executeUpdate() == 1) {
                return new Claim(true, eventId, false);
            }
            try (java.sql.PreparedStatement select = c.prepareStatement("SELECT event_id, acked FROM ingest.idempotence_keys"
                    + " WHERE tenant = ? AND event_type = ? AND idem_key = ?")) {
                select.setString(1, tenant);
                select.setString(2, eventType);
                select.setString(3, key);
                try (java.sql.ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return new Claim(false, rs.getString(1), rs.getBoolean(2));
                }
            }
        }
    }

    /** Marks claims acknowledged once the events are in Kafka (committed transaction). */
    public void acknowledgeBlocking(java.util.List<String[]> tenantTypeKeys) throws SQLException {
        if (tenantTypeKeys.isEmpty()) {
            return;
        }
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("UPDATE ingest.idempotence_keys SET acked = true,"
                     + " sending_until = NULL WHERE tenant = ? AND event_type = ? AND idem_key = ?")) {
            for (String[] k : tenantTypeKeys) {
                ps.setString(1, k[0]);
                ps.setString(2, k[1]);
                ps.setString(3, k[2]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
