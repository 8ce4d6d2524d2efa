package io.laurel.badge.profile;

import org.springframework.stereotype.Component;

import io.laurel.runtime.db.SharedSchema;
import jakarta.annotation.PostConstruct;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Public profile ids: a random UUID per tenant and user, made the first time it is asked for and kept (schema
 * {@code laurel_badge_state}), so it cannot be guessed from the user id and stays the same across rebuilds.
 */
@Component
public class Profiles {
    private final DataSource dataSource;

    public Profiles(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The tenant and user of a profile. */
    public record Owner(String tenant, String userId) {
    }

    @PostConstruct
    void createTable() throws SQLException {
        SharedSchema.create(dataSource, "laurel_badge_state", st -> {
            st.execute("CREATE TABLE IF NOT EXISTS laurel_badge_state.profiles (uuid uuid PRIMARY KEY, tenant text NOT NULL,"
                    + " user_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (tenant, user_id))");
        });
    }

    /** The user's profile id, made now if it has none. */
    public UUID uuidOf(String tenant, String userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO laurel_badge_state.profiles (uuid, tenant, user_id)"
                    + " VALUES (?, ?, ?) ON CONFLICT (tenant, user_id) DO NOTHING")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, tenant);
                ps.setString(3, userId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT uuid FROM laurel_badge_state.profiles WHERE tenant = ?"
                    + " AND user_id = ?")) {
                ps.setString(1, tenant);
                ps.setString(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, UUID.class);
                }
            }
        }
    }

    public Optional<Owner> owner(UUID uuid) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT tenant, user_id FROM laurel_badge_state.profiles WHERE uuid = ?")) {
            ps.setObject(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Owner(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /**
     * A user id as a public profile shows it: an email-like id keeps its first character and its domain
     * ({@code a***@example.com}); other ids are shown as they are.
     */
    public static String obscure(String userId) {
        int at = userId.indexOf('@');
        if (at < 0 || at == userId.length() - 1) {
            return userId;
        }
        return (at == 0 ? "" : userId.substring(0, 1)) + "***" + userId.substring(at);
    }
}
