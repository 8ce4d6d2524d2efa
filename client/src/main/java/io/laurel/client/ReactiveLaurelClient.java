package io.laurel.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.api.*;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@link LaurelClient} as {@code Mono}s and {@code Flux}es: nothing is sent until subscribed, and each subscription
 * sends again. Retries and errors as in {@link LaurelClient}; the live leaderboard is {@link #leaderboardStream}.
 * Get one from {@link LaurelClient#reactive()}.
 */
public final class ReactiveLaurelClient {
    private final Transport transport;
    private final Calls calls;
    private final Admin admin;
    private final Ops ops;

    ReactiveLaurelClient(Transport transport) {
        this.transport = transport;
        this.calls = new Calls(transport);
        this.admin = new Admin();
        this.ops = new Ops();
    }

    private <T> Mono<T> mono(Call<T> call) {
        return Mono.fromFuture(() -> transport.send(call));
    }

    /** Sends one event: {@code accepted}, or {@code duplicate} when its idempotence key was seen before. */
    public Mono<EventReceipt> send(Event event) {
        return mono(calls.send(event));
    }

    /** Sends one event and waits (at most {@code wait}, at most 10 s) for the badges it earned. */
    public Mono<EventReceipt> sendWaitingForBadges(Event event, Duration wait) {
        return mono(calls.sendWaitingForBadges(event, wait));
    }

    /** Sends up to 1000 events; one result per event, in order (valid ones are accepted even when others are not). */
    public Mono<BatchResults> sendBatch(List<Event> events) {
        return mono(calls.sendBatch(events));
    }

    /** Reverses an earlier event (a like, then an unlike): the same type, user and data with action {@code remove}. */
    public Mono<EventReceipt> remove(Event event) {
        return mono(calls.send(event.removal()));
    }

    /** A webhook-style call ({@code GET /v1/hooks/{type}?user_id=…&field=…}), as a course platform makes it. */
    public Mono<EventReceipt> hook(String eventType, Map<String, String> parameters) {
        return mono(calls.hook(eventType, parameters));
    }

    /** The event log, newest first; {@code userId} and {@code eventType} may be null. */
    public Mono<EventLog> eventLog(String userId, String eventType, int limit) {
        return mono(calls.eventLog(userId, eventType, limit));
    }

    public Mono<Points> points(String userId) {
        return mono(calls.points(userId));
    }

    public Mono<Ledger> ledger(String userId, int limit) {
        return mono(calls.ledger(userId, limit));
    }

    public Mono<ScoreEvent> postScoreEvent(ScoreEventRequest request) {
        return mono(calls.postScoreEvent(request));
    }

    public Mono<ScoreEvent> updateScoreEvent(ScoreEventUpdate update) {
        return mono(calls.updateScoreEvent(update));
    }

    public Mono<ScoreEvents> scoreEvents(String userId) {
        return mono(calls.scoreEvents(userId));
    }

    /** Redeems points; without an idempotency key the client gives the request one, so its retries redeem once. */
    public Mono<Redemption> redeem(RedemptionRequest request) {
        return mono(calls.redeem(request));
    }

    public Mono<Redemption> redemption(String id) {
        return mono(calls.redemption(id));
    }

    public Mono<Redemption> confirmRedemption(String id) {
        return mono(calls.confirmRedemption(id));
    }

    public Mono<Redemption> releaseRedemption(String id) {
        return mono(calls.releaseRedemption(id));
    }

    public Mono<LeaderboardPage> leaderboard(String id, int offset, int limit) {
        return mono(calls.leaderboard(id, offset, limit));
    }

    public Mono<Rank> rank(String leaderboardId, String userId) {
        return mono(calls.rank(leaderboardId, userId));
    }

    public Mono<LeaderboardPage> around(String leaderboardId, String userId, int radius) {
        return mono(calls.around(leaderboardId, userId, radius));
    }

    public Mono<UserBadges> badges(String userId) {
        return mono(calls.badges(userId));
    }

    /** Grants a manual badge: {@code badgeEarned} false when the user already holds a badge that does not repeat. */
    public Mono<BadgeGrant> grantBadge(String badgeId, String userId) {
        return mono(calls.grantBadge(badgeId, userId));
    }

    /** The user summary: points, level, badges, challenges, profile uuid. */
    public Mono<UserFeatures> features(String userId) {
        return mono(calls.features(userId));
    }

    public Mono<FeatureGrant> grantFeature(String featureId, String userId) {
        return mono(calls.grantFeature(featureId, userId));
    }

    public Mono<UserProfile> setDisplayName(String userId, String displayName) {
        return mono(calls.setDisplayName(userId, displayName));
    }

    public Mono<UserSummary> user(String userId) {
        return mono(calls.userSummary(userId));
    }

    /** The user's challenges with their progress. */
    public Mono<UserChallenges> challenges(String userId) {
        return mono(calls.challenges(userId));
    }

    public Mono<Notifications> notifications(String userId, boolean unreadOnly) {
        return mono(calls.notifications(userId, unreadOnly));
    }

    public Mono<Void> markRead(String notificationId) {
        return mono(calls.markRead(notificationId)).then();
    }

    public Mono<Version> version() {
        return mono(calls.version());
    }

    /**
     * The live leaderboard ({@code GET /v1/leaderboards/{id}/stream}): its first {@code limit} entries at once, then
     * again whenever they change; with {@code userId}, that member's rank in each ({@code user}). Cancel to close.
     */
    public Flux<LeaderboardPage> leaderboardStream(String leaderboardId, int limit, String userId) {
        return ServerSentEvents.stream(transport, leaderboardId, limit, userId);
    }

    public Admin admin() {
        return admin;
    }

    public Ops ops() {
        return ops;
    }

    public final class Admin {
        public Mono<EventType> createEventType(EventTypeRequest request) {
            return mono(calls.createEventType(request));
        }

        public Mono<EventType> updateEventType(EventTypeRequest request) {
            return mono(calls.updateEventType(request));
        }

        public Mono<EventTypes> eventTypes() {
            return mono(calls.eventTypes());
        }

        public Mono<EventType> eventType(String name) {
            return mono(calls.eventType(name));
        }

        public Mono<Void> deleteEventType(String name) {
            return mono(calls.deleteEventType(name)).then();
        }

        public Mono<Rule> createRule(RuleRequest request) {
            return mono(calls.createRule(request));
        }

        /** A new version of the rule; events already scored keep the version they were scored with. */
        public Mono<Rule> updateRule(String id, RuleRequest request) {
            return mono(calls.updateRule(id, request));
        }

        public Mono<Rules> rules() {
            return mono(calls.rules());
        }

        public Mono<Rule> rule(String id) {
            return mono(calls.rule(id));
        }

        public Mono<Void> deleteRule(String id) {
            return mono(calls.deleteRule(id)).then();
        }

        public Mono<BadgeDefinition> createBadge(BadgeDefinition badge) {
            return mono(calls.createBadge(badge));
        }

        public Mono<LeaderboardDefinition> createLeaderboard(LeaderboardDefinition board) {
            return mono(calls.createLeaderboard(board));
        }

        /** {@code POST /v1/admin/{kind}} for levels, challenges and webhooks, with the JSON API.md gives them. */
        public Mono<JsonNode> define(String kind, Object definition) {
            return mono(calls.define(kind, definition));
        }

        public Mono<Tenant> createTenant(TenantRequest request) {
            return mono(calls.createTenant(request));
        }

        /** A new key of the tenant; its {@code key} is shown only in this answer. */
        public Mono<ApiKey> createApiKey(String tenant, ApiKeyRequest request) {
            return mono(calls.createApiKey(tenant, request));
        }

        public Mono<Void> revokeApiKey(String tenant, String keyId) {
            return mono(calls.revokeApiKey(tenant, keyId)).then();
        }
    }

    public final class Ops {
        public Mono<Projections> projections() {
            return mono(calls.projections());
        }

        /** Starts rebuilding a projection into a new generation; with {@code manualSwitch} it waits for {@link #switchRebuild}. */
        public Mono<Rebuild> rebuild(String projection, boolean manualSwitch) {
            return mono(calls.rebuild(projection, manualSwitch));
        }

        public Mono<Rebuild> rebuildStatus(String id) {
            return mono(calls.rebuildStatus(id));
        }

        public Mono<Rebuild> switchRebuild(String id) {
            return mono(calls.switchRebuild(id));
        }

        public Mono<Rebuild> cancelRebuild(String id) {
            return mono(calls.cancelRebuild(id));
        }

        /** Starts a dry run: nothing changes until {@link #applyRecalculation}. */
        public Mono<Recalculation> recalculate(RecalculationRequest request) {
            return mono(calls.recalculate(request));
        }

        public Mono<Recalculation> recalculation(String id) {
            return mono(calls.recalculation(id));
        }

        /** The users whose points change, largest change first. */
        public Mono<UserChanges> changes(String id, int offset, int limit) {
            return mono(calls.changes(id, offset, limit));
        }

        /** The same as CSV. */
        public Mono<String> changesCsv(String id) {
            return Mono.fromFuture(() -> transport.sendText(calls.changesCsv(id)));
        }

        public Mono<Recalculation> applyRecalculation(String id) {
            return mono(calls.applyRecalculation(id));
        }

        public Mono<Recalculation> discardRecalculation(String id) {
            return mono(calls.discardRecalculation(id));
        }

        /** The rebuild's status every {@code every} until it has ended or, with a manual switch, is ready. */
        public Flux<Rebuild> watchRebuild(String id, Duration every) {
            return Flux.interval(Duration.ZERO, every).concatMap(i -> rebuildStatus(id))
                    .takeUntil(r -> r.finished() || "ready".equals(r.status()));
        }

        /** The recalculation's status every {@code every} until it is no longer running or applying. */
        public Flux<Recalculation> watchRecalculation(String id, Duration every) {
            return Flux.interval(Duration.ZERO, every).concatMap(i -> recalculation(id))
                    .takeUntil(Recalculation::settled);
        }
    }
}
