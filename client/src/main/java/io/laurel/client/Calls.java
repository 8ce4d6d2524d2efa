package io.laurel.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.api.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.laurel.client.Transport.enc;
import static io.laurel.client.Transport.query;

/** Every call of the SDK, once: the synchronous and the reactive client send the same ones. */
final class Calls {
    private final Transport t;

    Calls(Transport t) {
        this.t = t;
    }

    private <T> Call<T> get(String path, Class<T> answer) {
        return new Call<>("GET", path, null, t.type(answer), true, Map.of());
    }

    private <T> Call<T> call(String method, String path, Object body, Class<T> answer, boolean repeatable) {
        JavaType type = answer == null ? null : t.type(answer);
        return new Call<>(method, path, body, type, repeatable, Map.of());
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- events --------------------------------------------------------------------------------------------------

    /** An event with an idempotence key may be repeated after a 503; one without is not (it could count twice). */
    Call<EventReceipt> send(Event e) {
        return call("POST", "/v1/events", e, EventReceipt.class, e.idempotenceKey() != null);
    }

    Call<EventReceipt> sendWaitingForBadges(Event e, java.time.Duration wait) {
        return call("POST", query("/v1/events", params("wait", "badges", "wait_ms", wait.toMillis())), e,
                EventReceipt.class, e.idempotenceKey() != null);
    }

    Call<BatchResults> sendBatch(List<Event> events) {
        boolean allKeyed = events.stream().allMatch(e -> e.idempotenceKey() != null);
        return call("POST", "/v1/events:batch", new EventBatch(events), BatchResults.class, allKeyed);
    }

    Call<EventReceipt> hook(String eventType, Map<String, String> params) {
        return call("GET", query("/v1/hooks/" + enc(eventType), params), null, EventReceipt.class,
                params.containsKey("idempotence_key"));
    }

    Call<EventLog> eventLog(String userId, String eventType, int limit) {
        return get(query("/v1/event-log", params("user_id", userId, "event_type", eventType, "limit", limit)), EventLog.class);
    }

    // ---- points --------------------------------------------------------------------------------------------------

    Call<Points> points(String userId) {
        return get("/v1/users/" + enc(userId) + "/points", Points.class);
    }

    Call<Ledger> ledger(String userId, int limit) {
        return get(query("/v1/users/" + enc(userId) + "/ledger", params("limit", limit)), Ledger.class);
    }

    Call<ScoreEvent> postScoreEvent(ScoreEventRequest r) {
        return call("POST", "/v1/score-events", r, ScoreEvent.class, false);
    }

    Call<ScoreEvent> updateScoreEvent(ScoreEventUpdate u) {
        return call("PUT", "/v1/score-events", u, ScoreEvent.class, true);
    }

    Call<ScoreEvents> scoreEvents(String userId) {
        return get(query("/v1/score-events", params("user_id", userId)), ScoreEvents.class);
    }

    /** Without an idempotency key the client gives one, so a retry redeems once. */
    Call<Redemption> redeem(RedemptionRequest r) {
        RedemptionRequest keyed = r.idempotencyKey() != null ? r : r.withIdempotencyKey(UUID.randomUUID().toString());
        return call("POST", "/v1/redemptions", keyed, Redemption.class, true);
    }

    Call<Redemption> redemption(String id) {
        return get("/v1/redemptions/" + enc(id), Redemption.class);
    }

    Call<Redemption> confirmRedemption(String id) {
        return call("POST", "/v1/redemptions/" + enc(id) + "/confirm", null, Redemption.class, true);
    }

    Call<Redemption> releaseRedemption(String id) {
        return call("POST", "/v1/redemptions/" + enc(id) + "/release", null, Redemption.class, true);
    }

    // ---- leaderboards --------------------------------------------------------------------------------------------

    Call<LeaderboardPage> leaderboard(String id, int offset, int limit) {
        return get(query("/v1/leaderboards/" + enc(id), params("offset", offset, "limit", limit)), LeaderboardPage.class);
    }

    Call<Rank> rank(String id, String userId) {
        return get("/v1/leaderboards/" + enc(id) + "/users/" + enc(userId), Rank.class);
    }

    Call<LeaderboardPage> around(String id, String userId, int radius) {
        return get(query("/v1/leaderboards/" + enc(id) + "/around/" + enc(userId), params("radius", radius)),
                LeaderboardPage.class);
    }

    // ---- badges, challenges, notifications, users -----------------------------------------------------------------

    Call<UserBadges> badges(String userId) {
        return get("/v1/users/" + enc(userId) + "/badges", UserBadges.class);
    }

    Call<BadgeGrant> grantBadge(String badgeId, String userId) {
        return call("POST", "/v1/badges/" + enc(badgeId) + "/grants", new BadgeGrantRequest(userId), BadgeGrant.class, true);
    }

    Call<UserSummary> userSummary(String userId) {
        return get("/v1/users/" + enc(userId), UserSummary.class);
    }

    Call<UserChallenges> challenges(String userId) {
        return get("/v1/users/" + enc(userId) + "/challenges", UserChallenges.class);
    }

    Call<Notifications> notifications(String userId, boolean unreadOnly) {
        return get(query("/v1/notifications", params("user_id", userId, "unread", unreadOnly ? "true" : null)),
                Notifications.class);
    }

    Call<UserFeatures> features(String userId) {
        return get("/v1/users/" + enc(userId) + "/features", UserFeatures.class);
    }

    Call<FeatureGrant> grantFeature(String featureId, String userId) {
        return call("POST", "/v1/features/" + enc(featureId) + "/grants", new FeatureGrantRequest(userId),
                FeatureGrant.class, true);
    }

    Call<UserProfile> setDisplayName(String userId, String displayName) {
        return call("PUT", "/v1/users/" + enc(userId) + "/profile", new ProfileUpdate(displayName), UserProfile.class, true);
    }

    Call<UserProfile> profile(String userId) {
        return get("/v1/users/" + enc(userId) + "/profile", UserProfile.class);
    }

    Call<NotificationRead> markRead(String notificationId) {
        return call("POST", "/v1/notifications/" + enc(notificationId) + "/read", null, NotificationRead.class, true);
    }

    // ---- the catalog ---------------------------------------------------------------------------------------------

    Call<EventType> createEventType(EventTypeRequest r) {
        return call("POST", "/v1/admin/event-types", r, EventType.class, false);
    }

    Call<EventType> updateEventType(EventTypeRequest r) {
        return call("PUT", "/v1/admin/event-types/" + enc(r.name()), r, EventType.class, true);
    }

    Call<EventTypes> eventTypes() {
        return get("/v1/admin/event-types", EventTypes.class);
    }

    Call<EventType> eventType(String name) {
        return get("/v1/admin/event-types/" + enc(name), EventType.class);
    }

    Call<Void> deleteEventType(String name) {
        return call("DELETE", "/v1/admin/event-types/" + enc(name), null, null, true);
    }

    Call<Rule> createRule(RuleRequest r) {
        return call("POST", "/v1/admin/rules", r, Rule.class, false);
    }

    Call<Rule> updateRule(String id, RuleRequest r) {
        return call("PUT", "/v1/admin/rules/" + enc(id), r, Rule.class, true);
    }

    Call<Rules> rules() {
        return get("/v1/admin/rules", Rules.class);
    }

    Call<Rule> rule(String id) {
        return get("/v1/admin/rules/" + enc(id), Rule.class);
    }

    Call<Void> deleteRule(String id) {
        return call("DELETE", "/v1/admin/rules/" + enc(id), null, null, true);
    }

    Call<BadgeDefinition> createBadge(BadgeDefinition b) {
        return call("POST", "/v1/admin/badges", b, BadgeDefinition.class, false);
    }

    Call<LeaderboardDefinition> createLeaderboard(LeaderboardDefinition b) {
        return call("POST", "/v1/admin/leaderboards", b, LeaderboardDefinition.class, false);
    }

    Call<JsonNode> createFeature(FeatureRequest r) {
        return call("POST", "/v1/admin/features", r, JsonNode.class, false);
    }

    Call<JsonNode> createCertificateTemplate(CertificateTemplateRequest r) {
        return call("POST", "/v1/admin/certificate-templates", r, JsonNode.class, false);
    }

    /** A definition of a kind the records do not cover yet (levels, challenges, webhooks): its JSON as API.md has it. */
    Call<JsonNode> define(String kind, Object definition) {
        return call("POST", "/v1/admin/" + kind, definition, JsonNode.class, false);
    }

    Call<Tenant> createTenant(TenantRequest r) {
        return call("POST", "/v1/admin/tenants", r, Tenant.class, false);
    }

    Call<ApiKey> createApiKey(String tenant, ApiKeyRequest r) {
        return call("POST", "/v1/admin/tenants/" + enc(tenant) + "/api-keys", r, ApiKey.class, false);
    }

    Call<Void> revokeApiKey(String tenant, String keyId) {
        return call("DELETE", "/v1/admin/tenants/" + enc(tenant) + "/api-keys/" + enc(keyId), null, null, true);
    }

    // ---- operations ----------------------------------------------------------------------------------------------

    Call<Projections> projections() {
        return get("/v1/ops/projections", Projections.class);
    }

    Call<Rebuild> rebuild(String projection, boolean manualSwitch) {
        return call("POST", "/v1/ops/projections/" + enc(projection) + "/rebuild",
                new RebuildRequest(manualSwitch ? "manual" : "auto"), Rebuild.class, false);
    }

    Call<Rebuild> rebuildStatus(String id) {
        return get("/v1/ops/rebuilds/" + enc(id), Rebuild.class);
    }

    Call<Rebuild> switchRebuild(String id) {
        return call("POST", "/v1/ops/rebuilds/" + enc(id) + "/switch", null, Rebuild.class, true);
    }

    Call<Rebuild> cancelRebuild(String id) {
        return call("DELETE", "/v1/ops/rebuilds/" + enc(id), null, Rebuild.class, true);
    }

    Call<Recalculation> recalculate(RecalculationRequest r) {
        return call("POST", "/v1/ops/recalculations", r, Recalculation.class, false);
    }

    Call<Recalculation> recalculation(String id) {
        return get("/v1/ops/recalculations/" + enc(id), Recalculation.class);
    }

    Call<UserChanges> changes(String id, int offset, int limit) {
        return get(query("/v1/ops/recalculations/" + enc(id) + "/changes", params("offset", offset, "limit", limit)),
                UserChanges.class);
    }

    Call<Void> changesCsv(String id) {
        return get("/v1/ops/recalculations/" + enc(id) + "/changes", Void.class).withHeader("Accept", "text/csv");
    }

    Call<Recalculation> applyRecalculation(String id) {
        return call("POST", "/v1/ops/recalculations/" + enc(id) + "/apply", null, Recalculation.class, true);
    }

    Call<Recalculation> discardRecalculation(String id) {
        return call("DELETE", "/v1/ops/recalculations/" + enc(id), null, Recalculation.class, true);
    }

    Call<Version> version() {
        return get("/v1/version", Version.class);
    }
}
