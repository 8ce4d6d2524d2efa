package io.laurel.badge.notification;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.projection.PoisonRecordException;
import io.laurel.runtime.projection.Projection;
import io.laurel.runtime.projection.ProjectionTx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Folds {@code laurel.achievements} into notifications per user, one per award: delivered at least once,
 * kept once (the award id is the notification id). Whether a notification was read is the user's doing, not
 * the stream's: it lives beside the generations ({@link NotificationReads}) and survives a rebuild.
 */
@Component
public class NotificationProjection implements Projection {
    public static final String NAME = "notifications";

    private final TopicRegistry topics;

    public NotificationProjection(TopicRegistry topics) {
        this.topics = topics;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> topics() {
        return List.of(topics.achievements().name());
    }

    @Override
    public List<String> tables() {
        return List.of("notifications");
    }

    @Override
    public void createTables(Connection c, String s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + s + ".notifications (id text PRIMARY KEY, tenant text NOT NULL,"
                    + " user_id text NOT NULL, kind text NOT NULL, title text NOT NULL, detail text NOT NULL,"
                    + " created_at timestamptz NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS notifications_by_user ON " + s + ".notifications (tenant, user_id,"
                    + " created_at DESC)");
        }
    }

    @Override
    public void apply(List<ConsumerRecord<String, byte[]>> records, ProjectionTx tx) throws Exception {
        try (PreparedStatement ps = tx.connection().prepareStatement("INSERT INTO " + tx.schema() + ".notifications"
                + " (id, tenant, user_id, kind, title, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
            for (ConsumerRecord<String, byte[]> r : records) {
                JsonNode a = read(r);
                String kind = a.path("kind").asText();
                String name = a.path("badge_name").asText(a.path("badge_id").asText());
                ps.setString(1, a.path("award_id").asText());
                ps.setString(2, a.path("tenant").asText());
                ps.setString(3, a.path("user_id").asText());
                ps.setString(4, kind);
                ps.setString(5, switch (kind) {
                    case "badge_awarded" -> "You earned the badge " + name;
                    case "level_reached" -> "You reached level " + a.path("level_name").asText(a.path("level").asText());
                    case "challenge_progressed" -> "Step " + a.path("steps_passed").asText() + " of "
                            + a.path("steps_total").asText() + " passed in " + a.path("challenge_name")
                            .asText(a.path("challenge_id").asText());
                    case "challenge_completed" -> "You completed the challenge " + a.path("challenge_name")
                            .asText(a.path("challenge_id").asText());
                    default -> kind;
                });
                ps.setString(6, LaurelJson.mapper().writeValueAsString(a));
                ps.setTimestamp(7, Timestamp.from(Instant.parse(a.path("awarded_at").asText())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static JsonNode read(ConsumerRecord<String, byte[]> r) {
        JsonNode a;
        try {
            a = r.value() == null ? null : LaurelJson.mapper().readTree(r.value());
        } catch (java.io.IOException e) {
            throw new PoisonRecordException("not JSON: " + e.getMessage(), e);
        }
        if (a == null || !a.path("award_id").isTextual() || !a.path("tenant").isTextual()
                || !a.path("user_id").isTextual() || !a.path("kind").isTextual() || !a.path("awarded_at").isTextual()) {
            throw new PoisonRecordException("not an achievement (award_id, tenant, user_id, kind, awarded_at)", null);
        }
        try {
            Instant.parse(a.path("awarded_at").asText());
        } catch (java.time.DateTimeException e) {
            throw new PoisonRecordException("awarded_at is not a time: " + a.path("awarded_at").asText(), e);
        }
        return a;
    }
}
