package io.laurel.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.api.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Laurel's public API from Java, synchronously (each method blocks until the answer; {@link #reactive()} is the same
 * client as {@code Mono}s and {@code Flux}es). Thread-safe; make one per base URL and key and share it.
 *
 * <pre>{@code
 * LaurelClient laurel = LaurelClient.builder().baseUrl("http://localhost:8080").apiKey(key).build();
 * laurel.admin().createEventType(EventTypeRequest.of("deposit_made", List.of("amount"), Map.of("amount", "number")));
 * laurel.admin().createRule(RuleRequest.fixed("10 per deposit", "deposit_made", 10));
 * laurel.send(Event.of("deposit_made", "42", Map.of("amount", 100)).withIdempotenceKey("order-123"));
 * Points points = laurel.points("42");
 * }</pre>
 *
 * A 429 answer is retried, and so is a 503 of a call that is safe to repeat (reads, updates, deletes, events with an
 * idempotence key, redemptions: the client gives each one an idempotency key when it has none), after the server's
 * {@code Retry-After} or an exponential back-off, at most {@link Builder#maxRetries} times. Any other error answer
 * throws {@link LaurelApiException} with the problem detail; a platform that cannot be reached, {@link LaurelException}.
 */
public final class LaurelClient {
    /** How the client retries and waits. */
    public record Settings(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {
        public static final Settings DEFAULT = new Settings(4, Duration.ofMillis(200), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    private final Transport transport;
    private final Calls calls;
    private final Admin admin;
    private final Ops ops;
    private final ReactiveLaurelClient reactive;

    private LaurelClient(Transport transport) {
        this.transport = transport;
        this.calls = new Calls(transport);
        this.admin = new Admin();
        this.ops = new Ops();
        this.reactive = new ReactiveLaurelClient(transport);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same client, reactive. */
    public ReactiveLaurelClient reactive() {
        return reactive;
    }

    // ---- events --------------------------------------------------------------------------------------------------

    /** Sends one event: {@code accepted}, or {@code duplicate} when its idempotence key was seen before. */
    public EventReceipt send(Event event) {
        return transport.sync(calls.send(event));
    }

    /** Sends one event and waits (at most {@code wait}, at most 10 s) for the badges it earned. */
    public EventReceipt sendWaitingForBadges(Event event, Duration wait) {
        return transport.sync(calls.sendWaitingForBadges(event, wait));
    }

    /** Sends up to 1000 events; one result per event, in order (valid ones are accepted even when others are not). */
    public BatchResults sendBatch(List<Event> events) {
        return transport.sync(calls.sendBatch(events));
    }

    /** Reverses an earlier event (a like, then an unlike): the same type, user and data with action {@code remove}. */
    public EventReceipt remove(Event event) {
        return transport.sync(calls.send(event.removal()));
    }

    /** A webhook-style call ({@code GET /v1/hooks/{type}?user_id=…&field=…}), as a course platform makes it. */
    public EventReceipt hook(String eventType, Map<String, String> parameters) {
        return transport.sync(calls.hook(eventType, parameters));
    }

    /** The event log, newest first; {@code userId} and {@code eventType} may be null. */
    public EventLog eventLog(String userId, String eventType, int limit) {
        return transport.sync(calls.eventLog(userId, eventType, limit));
    }

    // ---- points --------------------------------------------------------------------------------------------------

    public Points points(String userId) {
        return transport.sync(calls.points(userId));
    }

    public Ledger ledger(String userId, int limit) {
        return transport.sync(calls.ledger(userId, limit));
    }

    public ScoreEvent postScoreEvent(ScoreEventRequest request) {
        return transport.sync(calls.postScoreEvent(request));
    }

    public ScoreEvent updateScoreEvent(ScoreEventUpdate update) {
        return transport.sync(calls.updateScoreEvent(update));
    }

    public ScoreEvents scoreEvents(String userId) {
        return transport.sync(calls.scoreEvents(userId));
    }

    /** Redeems points; without an idempotency key the client gives the request one, so its retries redeem once. */
    public Redemption redeem(RedemptionRequest request) {
        return transport.sync(calls.redeem(request));
    }

    public Redemption redemption(String id) {
        return transport.sync(calls.redemption(id));
    }

    public Redemption confirmRedemption(String id) {
        return transport.sync(calls.confirmRedemption(id));
    }

    public Redemption releaseRedemption(String id) {
        return transport.sync(calls.releaseRedemption(id));
    }

    // ---- leaderboards --------------------------------------------------------------------------------------------

    public LeaderboardPage leaderboard(String id, int offset, int limit) {
        return transport.sync(calls.leaderboard(id, offset, limit));
    }

    public Rank rank(String leaderboardId, String userId) {
        return transport.sync(calls.rank(leaderboardId, userId));
    }

    public LeaderboardPage around(String leaderboardId, String userId, int radius) {
        return transport.sync(calls.around(leaderboardId, userId, radius));
    }

    // ---- badges, challenges, notifications, users -----------------------------------------------------------------

    public UserBadges badges(String userId) {
        return transport.sync(calls.badges(userId));
    }

    /** Grants a manual badge: {@code badgeEarned} false when the user already holds a badge that does not repeat. */
    public BadgeGrant grantBadge(String badgeId, String userId) {
        return transport.sync(calls.grantBadge(badgeId, userId));
    }

    /** The user summary: points, level, badges, challenges, profile uuid. */
    public UserSummary user(String userId) {
        return transport.sync(calls.userSummary(userId));
    }

    /** The user's challenges with their progress. */
    public UserChallenges challenges(String userId) {
        return transport.sync(calls.challenges(userId));
    }

    public Notifications notifications(String userId, boolean unreadOnly) {
        return transport.sync(calls.notifications(userId, unreadOnly));
    }

    /** The features the user has unlocked, earliest first. */
    public UserFeatures features(String userId) {
        return transport.sync(calls.features(userId));
    }

    /** Unlocks a manual feature for the user: {@code unlocked} false when the user had it already. */
    public FeatureGrant grantFeature(String featureId, String userId) {
        return transport.sync(calls.grantFeature(featureId, userId));
    }

    /** Sets the name profiles, leaderboards and certificates show for the user ({@code null} clears it). */
    public UserProfile setDisplayName(String userId, String displayName) {
        return transport.sync(calls.setDisplayName(userId, displayName));
    }

    public UserProfile profile(String userId) {
        return transport.sync(calls.profile(userId));
    }

    public void markRead(String notificationId) {
        transport.sync(calls.markRead(notificationId));
    }

    public Version version() {
        return transport.sync(calls.version());
    }

    // ---- the catalog and operations ------------------------------------------------------------------------------

    /** The catalog (scopes {@code catalog:write}, {@code catalog:read}) and tenants and keys (platform key). */
    public Admin admin() {
        return admin;
    }

    /** Rebuilds (platform key) and recalculations (scope {@code ops}). */
    public Ops ops() {
        return ops;
    }

    public final class Admin {
        public EventType createEventType(EventTypeRequest request) {
            return transport.sync(calls.createEventType(request));
        }

        public EventType updateEventType(EventTypeRequest request) {
            return transport.sync(calls.updateEventType(request));
        }

        public EventTypes eventTypes() {
            return transport.sync(calls.eventTypes());
        }

        public EventType eventType(String name) {
            return transport.sync(calls.eventType(name));
        }

        public void deleteEventType(String name) {
            transport.sync(calls.deleteEventType(name));
        }

        public Rule createRule(RuleRequest request) {
            return transport.sync(calls.createRule(request));
        }

        /** A new version of the rule; events already scored keep the version they were scored with. */
        public Rule updateRule(String id, RuleRequest request) {
            return transport.sync(calls.updateRule(id, request));
        }

        public Rules rules() {
            return transport.sync(calls.rules());
        }

        public Rule rule(String id) {
            return transport.sync(calls.rule(id));
        }

        public void deleteRule(String id) {
            transport.sync(calls.deleteRule(id));
        }

        public BadgeDefinition createBadge(BadgeDefinition badge) {
            return transport.sync(calls.createBadge(badge));
        }

        public LeaderboardDefinition createLeaderboard(LeaderboardDefinition board) {
            return transport.sync(calls.createLeaderboard(board));
        }

        /** A feature users unlock ({@code POST /v1/admin/features}); answers the definition as JSON. */
        public JsonNode createFeature(FeatureRequest request) {
            return transport.sync(calls.createFeature(request));
        }

        /** A certificate template ({@code POST /v1/admin/certificate-templates}); answers the definition as JSON. */
        public JsonNode createCertificateTemplate(CertificateTemplateRequest request) {
            return transport.sync(calls.createCertificateTemplate(request));
        }

        /** {@code POST /v1/admin/{kind}} for levels, challenges and webhooks, with the JSON API.md gives them. */
        public JsonNode define(String kind, Object definition) {
            return transport.sync(calls.define(kind, definition));
        }

        public Tenant createTenant(TenantRequest request) {
            return transport.sync(calls.createTenant(request));
        }

        /** A new key of the tenant; its {@code key} is shown only in this answer. */
        public ApiKey createApiKey(String tenant, ApiKeyRequest request) {
            return transport.sync(calls.createApiKey(tenant, request));
        }

        public void revokeApiKey(String tenant, String keyId) {
            transport.sync(calls.revokeApiKey(tenant, keyId));
        }
    }

    public final class Ops {
        public Projections projections() {
            return transport.sync(calls.projections());
        }

        /** Starts rebuilding a projection into a new generation; with {@code manualSwitch} it waits for {@link #switchRebuild}. */
        public Rebuild rebuild(String projection, boolean manualSwitch) {
            return transport.sync(calls.rebuild(projection, manualSwitch));
        }

        public Rebuild rebuildStatus(String id) {
            return transport.sync(calls.rebuildStatus(id));
        }

        public Rebuild switchRebuild(String id) {
            return transport.sync(calls.switchRebuild(id));
        }

        public Rebuild cancelRebuild(String id) {
            return transport.sync(calls.cancelRebuild(id));
        }

        /**
         * Waits until the rebuild has ended (or, with a manual switch, is {@code ready}), handing {@code progress}
         * each status read (every {@code every}); answers the last one. Throws {@link LaurelException} after
         * {@code timeout}.
         */
        public Rebuild awaitRebuild(String id, Duration every, Duration timeout, Consumer<Rebuild> progress) {
            return poll(() -> rebuildStatus(id), r -> r.finished() || "ready".equals(r.status()), every, timeout, progress,
                    "rebuild " + id);
        }

        /** Starts a dry run: nothing changes until {@link #applyRecalculation}. */
        public Recalculation recalculate(RecalculationRequest request) {
            return transport.sync(calls.recalculate(request));
        }

        public Recalculation recalculation(String id) {
            return transport.sync(calls.recalculation(id));
        }

        /** Waits until the recalculation is no longer running or applying, handing {@code progress} each status read. */
        public Recalculation awaitRecalculation(String id, Duration every, Duration timeout,
                                                Consumer<Recalculation> progress) {
            return poll(() -> recalculation(id), Recalculation::settled, every, timeout, progress, "recalculation " + id);
        }

        /** The users whose points change, largest change first. */
        public UserChanges changes(String id, int offset, int limit) {
            return transport.sync(calls.changes(id, offset, limit));
        }

        /** The same as CSV. */
        public String changesCsv(String id) {
            return transport.syncText(calls.changesCsv(id));
        }

        public Recalculation applyRecalculation(String id) {
            return transport.sync(calls.applyRecalculation(id));
        }

        public Recalculation discardRecalculation(String id) {
            return transport.sync(calls.discardRecalculation(id));
        }
    }

    private static <T> T poll(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done, Duration every,
                              Duration timeout, Consumer<T> progress, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T now = read.get();
            if (progress != null) {
                progress.accept(now);
            }
            if (done.test(now)) {
                return now;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new LaurelException(what + " still under way after " + timeout, null);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaurelException("interrupted waiting for " + what, e);
            }
        }
    }

    public static final class Builder {
        private URI baseUrl = URI.create(System.getenv().getOrDefault("LAUREL_URL", "http://localhost:8080"));
        private String apiKey = System.getenv("LAUREL_KEY");
        private int maxRetries = Settings.DEFAULT.maxRetries();
        private Duration initialBackoff = Settings.DEFAULT.initialBackoff();
        private Duration maxBackoff = Settings.DEFAULT.maxBackoff();
        private Duration requestTimeout = Settings.DEFAULT.requestTimeout();
        private HttpClient httpClient;

        /** Default: {@code LAUREL_URL}, else {@code http://localhost:8080}. */
        public Builder baseUrl(String url) {
            this.baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            return this;
        }

        /** Default: {@code LAUREL_KEY}. */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** How often a 429, or a 503 of a call safe to repeat, is retried (default 4; 0: never). */
        public Builder maxRetries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRetries must be 0 or more");
            }
            this.maxRetries = n;
            return this;
        }

        /** The first pause of the exponential back-off (default 200 ms), and the longest pause (default 10 s). */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial);
            this.maxBackoff = Objects.requireNonNull(max);
            return this;
        }

        /** How long one attempt may take (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** An HttpClient of your own (proxy, TLS, executor). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        public LaurelClient build() {
            HttpClient http = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
            String base = baseUrl.toString();
            return new LaurelClient(new Transport(http, URI.create(base.endsWith("/") ? base : base + "/"), apiKey,
                    new Settings(maxRetries, initialBackoff, maxBackoff, requestTimeout)));
        }
    }
}
