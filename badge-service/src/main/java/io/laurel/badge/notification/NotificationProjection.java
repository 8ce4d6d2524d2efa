package io.laurel.badge.notification;

import io.laurel.events.Achievement;
import io.laurel.events.topic.TopicRegistry;
import io.laurel.runtime.projection.ProjectionTx;
import io.laurel.runtime.projection.DecodedProjection;
import io.laurel.runtime.projection.Decoder;
import io.laurel.runtime.projection.Delivered;
import java.util.Map;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

/**
 * Folds {@code laurel.achievements} into notifications per user, one per award: delivered at least once,
 * kept once (the award id is the notification id). Whether a notification was read is the user's doing, not
 * the stream's: it lives beside the generations ({@link NotificationReads}) and survives a rebuild.
 */
@Component
public class NotificationProjection implements DecodedProjection<Achievement> {
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
    public Map<String, Decoder<? extends Achievement>> decoders() {
        return Map.of(topics.achievements().name(), Decoder.of(topics.achievements(), Achievement::complete,
                "an achievement"));
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
    public void applyDecoded(List<Delivered<Achievement>> records, ProjectionTx tx) throws Exception {
        try (PreparedStatement ps = tx.connection().prepareStatement("INSERT INTO " + tx.schema() + ".notifications"
                + " (id, tenant, user_id, kind, title, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
            for (Delivered<Achievement> r : records) {
                Achievement a = r.value();
                ps.setString(1, a.awardId());
                ps.setString(2, a.tenant());
                ps.setString(3, a.userId());
                ps.setString(4, a.kind());
                ps.setString(5, title(a));
                ps.setString(6, new String(topics.achievements().valueSerde().serialize(r.topic(), a),
                        java.nio.charset.StandardCharsets.UTF_8));
                ps.setTimestamp(7, Timestamp.from(a.awardedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The notification's title: what the user achieved, in words. */
    static String title(Achievement a) {
        return switch (a) {
            case Achievement.BadgeAwarded b -> "You earned the badge " + (b.badgeName() != null ? b.badgeName() : b.badgeId());
            case Achievement.LevelReached l -> "You reached level " + (l.levelName() != null ? l.levelName() : l.level());
            case Achievement.ChallengeProgressed p -> "Step " + p.stepsPassed() + " of " + p.stepsTotal() + " passed in "
                    + (p.challengeName() != null ? p.challengeName() : p.challengeId());
            case Achievement.ChallengeCompleted c -> "You completed the challenge "
                    + (c.challengeName() != null ? c.challengeName() : c.challengeId());
            case Achievement.FeatureUnlocked f -> "You unlocked " + (f.featureName() != null ? f.featureName() : f.featureId());
        };
    }
}
