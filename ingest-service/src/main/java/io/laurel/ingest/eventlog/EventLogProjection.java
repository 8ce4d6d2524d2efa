package io.laurel.ingest.eventlog;

import io.laurel.events.EventAccepted;
import io.laurel.events.json.LaurelJson;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.projection.ProjectionTx;
import io.laurel.runtime.projection.DecodedProjection;
import io.laurel.runtime.projection.Decoder;
import io.laurel.runtime.projection.Delivered;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event log: every accepted event, queryable by user, type and time. An event appended twice with
 * the same id (a retried idempotence key) is kept once.
 */
@Component
public class EventLogProjection implements DecodedProjection<EventAccepted> {
    public static final String NAME = "event_log";

    private final TopicRegistry topics;

    public EventLogProjection(TopicRegistry topics) {
        this.topics = topics;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Decoder<? extends EventAccepted>> decoders() {
        return Map.of(topics.events().name(), Decoder.of(topics.events(), e -> e.isComplete() && e.eventData() != null,
                "an accepted event"));
    }

    @Override
    public List<String> tables() {
        return List.of("events");
    }

    @Override
    public void createTables(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".events (event_id text PRIMARY KEY, tenant text NOT NULL,"
                    + " user_id text NOT NULL, event_type text NOT NULL, event_type_version int NOT NULL,"
                    + " event_action text NOT NULL, event_data jsonb NOT NULL, idempotence_key text, groups jsonb,"
                    + " occurred_at timestamptz NOT NULL, received_at timestamptz NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS events_by_time ON " + s + ".events (tenant, occurred_at DESC, event_id DESC)");
            st.execute("CREATE INDEX IF NOT EXISTS events_by_user ON " + s
                    + ".events (tenant, user_id, occurred_at DESC, event_id DESC)");
            st.execute("CREATE INDEX IF NOT EXISTS events_by_type ON " + s
                    + ".events (tenant, event_type, occurred_at DESC, event_id DESC)");
        }
    }

    @Override
    public void applyDecoded(List<Delivered<EventAccepted>> records, ProjectionTx tx) throws Exception {
        Map<String, EventAccepted> events = new LinkedHashMap<>();
        for (Delivered<EventAccepted> r : records) {
            events.putIfAbsent(r.value().eventId(), r.value());
        }
        try (PreparedStatement ps = tx.connection().prepareStatement("INSERT INTO " + tx.schema() + ".events"
                + " (event_id, tenant, user_id, event_type, event_type_version, event_action, event_data, idempotence_key,"
                + " groups, occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?)"
                + " ON CONFLICT (event_id) DO NOTHING")) {
            for (EventAccepted e : events.values()) {
                ps.setString(1, e.eventId());
                ps.setString(2, e.tenant());
                ps.setString(3, e.userId());
                ps.setString(4, e.eventType());
                ps.setInt(5, e.eventTypeVersion());
                ps.setString(6, e.eventAction().wireName());
                ps.setString(7, LaurelJson.mapper().writeValueAsString(e.eventData()));
                ps.setString(8, e.idempotenceKey());
                ps.setString(9, LaurelJson.mapper().writeValueAsString(e.groups()));
                ps.setTimestamp(10, Timestamp.from(e.occurredAt()));
                ps.setTimestamp(11, Timestamp.from(e.receivedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
