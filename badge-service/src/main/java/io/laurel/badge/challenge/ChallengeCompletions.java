package io.laurel.badge.challenge;

import io.laurel.badge.challenge.engine.ChallengeOutcome;

import io.laurel.runtime.db.SharedSchema;
import jakarta.annotation.PostConstruct;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The completions whose {@code challenge.completed} event has been appended to {@code laurel.events}, kept outside
 * the projection's generations (schema {@code laurel_badge_state}): the live run and a rebuild both claim a
 * completion here in their batch's transaction, and only the one that claims it first appends the event. So a
 * rebuild adds the events of completions it finds that the live run never made (a challenge defined after the
 * fact), whose rewards then reach scoring, and repeats none.
 */
@Component
public class ChallengeCompletions {
    public static final String TABLE = "laurel_badge_state.challenge_completions";
    private final DataSource dataSource;

    public ChallengeCompletions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @PostConstruct
    void createTable() throws SQLException {
        SharedSchema.create(dataSource, "laurel_badge_state", st -> {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (completion_id text PRIMARY KEY, tenant text NOT NULL,"
                    + " user_id text NOT NULL, challenge_id text NOT NULL, appended_at timestamptz NOT NULL DEFAULT now())");
        });
    }

    /** Claims the completion in the batch's transaction: true when no one had, so the caller appends its event. */
    public static boolean claim(Connection c, ChallengeOutcome completion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (completion_id, tenant, user_id,"
                + " challenge_id) VALUES (?, ?, ?, ?) ON CONFLICT (completion_id) DO NOTHING")) {
            ps.setString(1, completion.id());
            ps.setString(2, completion.tenant());
            ps.setString(3, completion.userId());
            ps.setString(4, completion.challengeId());
            return ps.executeUpdate() == 1;
        }
    }
}
