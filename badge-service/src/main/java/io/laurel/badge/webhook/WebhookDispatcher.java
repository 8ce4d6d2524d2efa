package io.laurel.badge.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends queued webhook deliveries: a POST of the achievement with {@code X-Laurel-Timestamp} (Unix seconds),
 * {@code X-Laurel-Signature: sha256=<hex HMAC-SHA256 of "timestamp.body">} and {@code X-Laurel-Delivery}. A 2xx
 * answer delivers; anything else is retried after 1, 2, 4, ... seconds (at most an hour apart), up to
 * {@link #MAX_ATTEMPTS} attempts, then the delivery is marked failed. Every attempt is logged.
 */
@Component
public class WebhookDispatcher {
    static final int MAX_ATTEMPTS = 12;
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final Webhooks webhooks;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private ScheduledExecutorService timer;
    /** Deliveries one dispatcher claims at a time; each attempt takes at most its 10 s timeout. */
    static final int CLAIM = 20;
    /** How long claimed deliveries are this dispatcher's: longer than sending a whole claim. */
    static final Duration LEASE = Duration.ofSeconds(CLAIM * 10 + 60);

    public WebhookDispatcher(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-dispatcher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::dispatchDue, 1, 250, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private record Due(String id, String url, String body, int attempts, String secret, String tenant, String webhook) {
    }

    /** Sends every delivery that is due; returns how many were attempted. */
    int dispatchDue() {
        int total = 0;
        for (int round = 0; round < 50; round++) {
            int n = dispatchClaim();
            total += n;
            if (n < CLAIM) {
                break; // nothing more due now
            }
        }
        return total;
    }

    /** Claims up to {@link #CLAIM} due deliveries and attempts each; returns how many. */
    private int dispatchClaim() {
        try {
            List<Due> due = new ArrayList<>();
            // claimed for a lease that outlasts sending them all: another instance's dispatcher skips them (and
            // takes them up after the lease should this instance die before recording the attempts)
            try (Connection c = webhooks.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "WITH due AS (SELECT id FROM " + Webhooks.SCHEMA + ".webhook_deliveries WHERE status = 'pending'"
                            + " AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT " + CLAIM
                            + " FOR UPDATE SKIP LOCKED), claimed AS (UPDATE " + Webhooks.SCHEMA + ".webhook_deliveries d"
                            + " SET next_attempt_at = now() + make_interval(secs => " + LEASE.toSeconds() + ") FROM due"
                            + " WHERE d.id = due.id RETURNING d.id, d.url, d.body, d.attempts, d.webhook_id)"
                            + " SELECT c.id, c.url, c.body, c.attempts, w.secret, w.tenant, w.id FROM claimed c JOIN "
                            + Webhooks.SCHEMA + ".webhooks w ON w.id = c.webhook_id")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                                rs.getString(6), rs.getString(7)));
                    }
                }
            }
            for (Due d : due) {
                attempt(d);
            }
            return due.size();
        } catch (Exception e) {
            log.warn("webhook dispatch failed: {}", e.toString());
            return 0;
        }
    }

    private void attempt(Due d) throws Exception {
        long timestamp = Instant.now().getEpochSecond();
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        // checked again now: the host may resolve elsewhere than when the webhook was created (DNS rebinding)
        String refusal = webhooks.targets().refusal(d.url());
        // a forbidden target is never sent to and not retried; a host that does not resolve is retried later
        String refused = WebhookTargets.unresolved(refusal) ? null : refusal;
        try {
            if (refusal != null) {
                throw new java.io.IOException("not sent: " + refusal);
            }
            String secret = webhooks.openSecret(d.tenant(), d.webhook(), d.secret());
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(d.url()))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Laurel-Webhooks/1")
                    .header("X-Laurel-Delivery", d.id())
                    .header("X-Laurel-Timestamp", String.valueOf(timestamp))
                    .header("X-Laurel-Signature", "sha256=" + Webhooks.sign(secret, timestamp, d.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.body())).build(), HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
            if (status < 200 || status >= 300) {
                error = "answered " + status;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // a secret that does not open (a key missing during a rotation) is retried like a failed send: it
            // delivers once the key is configured, and holds up no other delivery
            error = e instanceof IllegalStateException ? "not sent: " + e.getMessage() : e.toString();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int attempt = d.attempts() + 1;
        boolean delivered = error == null;
        String next = delivered ? "delivered" : attempt >= MAX_ATTEMPTS || refused != null ? "failed" : "pending";
        Instant retryAt = Instant.now().plusSeconds(Math.min(3600, 1L << Math.min(20, attempt - 1)));
        try (Connection c = webhooks.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + Webhooks.SCHEMA + ".webhook_deliveries SET"
                    + " status = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?"
                    + " WHERE id = ? AND status = 'pending'")) {
                ps.setString(1, next);
                ps.setInt(2, attempt);
                ps.setTimestamp(3, Timestamp.from(retryAt));
                if (status == null) {
                    ps.setNull(4, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(4, status);
                }
                ps.setString(5, error);
                ps.setTimestamp(6, delivered ? Webhooks.now() : null);
                ps.setString(7, d.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Webhooks.SCHEMA + ".webhook_attempts"
                    + " (delivery_id, attempt, at, status, error, millis) VALUES (?, ?, now(), ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING")) {
                ps.setString(1, d.id());
                ps.setInt(2, attempt);
                if (status == null) {
                    ps.setNull(3, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(3, status);
                }
                ps.setString(4, error);
                ps.setLong(5, millis);
                ps.executeUpdate();
            }
            c.commit();
        }
    }
}
