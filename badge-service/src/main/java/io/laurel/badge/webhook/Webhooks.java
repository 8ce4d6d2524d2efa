package io.laurel.badge.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.runtime.secrets.SecretBox;
import org.springframework.stereotype.Component;

import io.laurel.runtime.db.SharedSchema;
import jakarta.annotation.PostConstruct;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outbound webhooks: subscriptions per tenant, their deliveries and every attempt, in the badge service's own
 * tables (schema {@code laurel_badge_state}: not rebuilt with the projections, and never replayed). A
 * subscription's URL may hold placeholders ({@code {user_id}}, {@code {badge_id}}, ...) filled from the
 * achievement. The signing secret is needed in clear to sign: it is kept encrypted ({@link SecretBox}, AES-GCM,
 * bound to its tenant and webhook), opened only to sign a delivery, and shown once.
 */
@Component
public class Webhooks {
    static final String SCHEMA = "laurel_badge_state";
    public static final Set<String> KINDS = Set.of("badge_awarded", "level_reached", "challenge_progressed",
            "challenge_completed", "feature_unlocked");
    public static final Set<String> PLACEHOLDERS = Set.of("tenant", "user_id", "kind", "award_id", "badge_id",
            "badge_name", "count", "level_set", "level", "level_name", "challenge_id", "challenge_name", "step_id",
            "steps_passed", "steps_total", "awarded_at", "feature_id", "feature_name");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    /** A subscription (without its secret, unless just created). */
    public record Webhook(String id, String tenant, String url, List<String> kinds, boolean active, Instant createdAt) {
    }

    private final DataSource dataSource;
    private final SecretBox secrets;
    private final WebhookTargets targets;

    public Webhooks(DataSource dataSource, SecretBox secrets, io.laurel.runtime.config.LaurelProperties props) {
        this.dataSource = dataSource;
        this.secrets = secrets;
        this.targets = new WebhookTargets(props.getWebhooks().getAllowedTargets());
    }

    WebhookTargets targets() {
        return targets;
    }

    /** The secret a webhook signs with: its sealed value opened. */
    String openSecret(String tenant, String id, String sealed) {
        return secrets.open(sealed, associated(tenant, id));
    }

    private static String associated(String tenant, String id) {
        return "webhook/" + tenant + "/" + id;
    }

    /**
     * Seals every secret still in clear (kept so before secrets were encrypted) and reseals those sealed under a
     * previous key (a rotation): after a start, every secret is sealed under the current key.
     */
    public void resealSecrets() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant, secret FROM " + SCHEMA + ".webhooks FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            int changed = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".webhooks SET secret = ? WHERE id = ?")) {
                for (String[] r : rows) {
                    if (!secrets.needsResealing(r[2])) {
                        continue;
                    }
                    String plain;
                    try {
                        plain = SecretBox.isSealed(r[2]) ? secrets.open(r[2], associated(r[1], r[0])) : r[2];
                    } catch (IllegalStateException e) {
                        // sealed under a key this instance lacks (a rotation under way): left as it is
                        org.slf4j.LoggerFactory.getLogger(Webhooks.class).warn("webhook {}: secret not resealed: {}",
                                r[0], e.getMessage());
                        continue;
                    }
                    ps.setString(1, secrets.seal(plain, associated(r[1], r[0])));
                    ps.setString(2, r[0]);
                    ps.addBatch();
                    changed++;
                }
                ps.executeBatch();
            }
            c.commit();
            if (changed > 0) {
                org.slf4j.LoggerFactory.getLogger(Webhooks.class).info(
                        "sealed {} webhook secret(s) under secrets key {}", changed, secrets.currentKeyId());
            }
        }
    }

    @PostConstruct
    void createTables() throws SQLException {
        SharedSchema.create(dataSource, SCHEMA, st -> {
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".webhooks (id text PRIMARY KEY, tenant text NOT NULL,"
                    + " url text NOT NULL, kinds text[] NOT NULL, secret text NOT NULL, active boolean NOT NULL,"
                    + " created_at timestamptz NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".webhook_deliveries (id text PRIMARY KEY,"
                    + " tenant text NOT NULL, webhook_id text NOT NULL, award_id text NOT NULL, kind text NOT NULL,"
                    + " url text NOT NULL, body text NOT NULL, status text NOT NULL, attempts int NOT NULL DEFAULT 0,"
                    + " next_attempt_at timestamptz NOT NULL, last_status int, last_error text,"
                    + " created_at timestamptz NOT NULL, delivered_at timestamptz)");
            st.execute("CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON " + SCHEMA + ".webhook_deliveries"
                    + " (next_attempt_at) WHERE status = 'pending'");
            st.execute("CREATE INDEX IF NOT EXISTS webhook_deliveries_by_hook ON " + SCHEMA + ".webhook_deliveries"
                    + " (tenant, webhook_id, created_at DESC)");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".webhook_attempts (delivery_id text NOT NULL,"
                    + " attempt int NOT NULL, at timestamptz NOT NULL, status int, error text, millis bigint NOT NULL,"
                    + " PRIMARY KEY (delivery_id, attempt))");
        });
        resealSecrets();
    }

    public void create(String id, String tenant, String url, List<String> kinds, String secret) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA
                + ".webhooks (id, tenant, url, kinds, secret, active, created_at) VALUES (?, ?, ?, ?, ?, true, now())")) {
            ps.setString(1, id);
            ps.setString(2, tenant);
            ps.setString(3, url);
            ps.setArray(4, c.createArrayOf("text", kinds.toArray(String[]::new)));
            ps.setString(5, secrets.seal(secret, associated(tenant, id)));
            ps.executeUpdate();
        }
    }

    public List<Webhook> list(String tenant) throws SQLException {
        List<Webhook> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, tenant, url,"
                + " kinds, active, created_at FROM " + SCHEMA + ".webhooks WHERE tenant = ? AND active ORDER BY created_at, id")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /** Stops a subscription; its pending deliveries are dropped. False when there is none. */
    public boolean delete(String tenant, String id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".webhooks SET active = false"
                    + " WHERE tenant = ? AND id = ? AND active")) {
                ps.setString(1, tenant);
                ps.setString(2, id);
                n = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + SCHEMA + ".webhook_deliveries SET status ="
                    + " 'cancelled' WHERE tenant = ? AND webhook_id = ? AND status = 'pending'")) {
                ps.setString(1, tenant);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            c.commit();
            return n == 1;
        }
    }

    private static Webhook read(ResultSet rs) throws SQLException {
        Array kinds = rs.getArray(4);
        return new Webhook(rs.getString(1), rs.getString(2), rs.getString(3), Arrays.asList((String[]) kinds.getArray()),
                rs.getBoolean(5), rs.getTimestamp(6).toInstant());
    }

    /**
     * Queues a delivery of {@code achievement} to every active subscription of its tenant and kind, in the
     * caller's transaction; one delivery per subscription and award, however often the award arrives.
     */
    static void enqueue(Connection c, JsonNode achievement, String body) throws SQLException {
        String tenant = achievement.path("tenant").asText();
        String kind = achievement.path("kind").asText();
        String awardId = achievement.path("award_id").asText();
        List<String[]> hooks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, url FROM " + SCHEMA + ".webhooks WHERE tenant = ?"
                + " AND active AND ? = ANY(kinds)")) {
            ps.setString(1, tenant);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hooks.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
        }
        if (hooks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".webhook_deliveries (id, tenant,"
                + " webhook_id, award_id, kind, url, body, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?,"
                + " ?, 'pending', now(), now()) ON CONFLICT (id) DO NOTHING")) {
            for (String[] hook : hooks) {
                ps.setString(1, hook[0] + ":" + awardId);
                ps.setString(2, tenant);
                ps.setString(3, hook[0]);
                ps.setString(4, awardId);
                ps.setString(5, kind);
                ps.setString(6, render(hook[1], achievement));
                ps.setString(7, body);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The URL with each {@code {placeholder}} replaced by the achievement's field, URL-encoded. */
    static String render(String template, JsonNode achievement) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = achievement.get(m.group(1));
            String text = v == null || v.isNull() ? "" : v.asText();
            m.appendReplacement(out, Matcher.quoteReplacement(URLEncoder.encode(text, StandardCharsets.UTF_8)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The signature of a delivery: hex HMAC-SHA256 of {@code timestamp + "." + body} under the subscription's secret. */
    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    static Timestamp now() {
        return Timestamp.from(Instant.now());
    }
}
