package io.laurel.badge.notification;

import org.springframework.stereotype.Component;

import io.laurel.runtime.db.SharedSchema;
import jakarta.annotation.PostConstruct;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Which notifications each user has read: a user's doing, kept outside the projection's generations (schema
 * {@code laurel_badge_state}) so a rebuild of the notifications does not mark them unread again.
 */
@Component
public class NotificationReads {
    public static final String TABLE = "laurel_badge_state.notification_reads";
    private final DataSource dataSource;

    public NotificationReads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @PostConstruct
    void createTable() throws SQLException {
        SharedSchema.create(dataSource, "laurel_badge_state", st -> {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (tenant text NOT NULL, notification_id text NOT NULL,"
                    + " read_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tenant, notification_id))");
        });
    }

    /** Marks a notification read (again: no change); true when it was unread. */
    public boolean markRead(String tenant, String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (tenant, notification_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, tenant);
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        }
    }
}
