package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.api.*;
import io.laurel.client.LaurelApiException;
import io.laurel.client.LaurelClient;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton, end to end over HTTP against the real broker and database: declare an event
 * type, a rule, send events, read points, the ledger, the all-time leaderboard and a user's rank, then
 * rebuild the leaderboard projection through the operations API and read the same answers.
 */
class WalkingSkeletonIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, WalkingSkeletonIT.class);
    }

    @Test
    void eventsBecomePointsAndLeaderboardRanksAndSurviveARebuild() {
        JsonNode type = postJson(ADMIN_KEY, "/v1/admin/event-types", """
                {"name":"deposit_made","description":"A deposit",
                 "event_data_schema":{"required":["amount"],"properties":{"amount":"number","currency":"string"}}}""", 201);
        assertThat(type.get("name").asText()).isEqualTo("deposit_made");
        assertThat(type.get("is_system").asBoolean()).isFalse();
        assertThat(type.get("version").asInt()).isEqualTo(1);
        assertThat(type.at("/event_data_schema/properties/amount/type").asText()).isEqualTo("number");

        // the declaration is a fact of the event-type aggregate, stored in Axon's JDBC event store
        assertThat(count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'default/deposit_made'"))
                .isEqualTo(1);

        JsonNode rule = postJson(ADMIN_KEY, "/v1/admin/rules",
                "{\"name\":\"10 per deposit\",\"event_type\":\"deposit_made\",\"points\":10}", 201);
        assertThat(rule.get("id").asText()).isNotBlank();
        assertThat(rule.get("version").asInt()).isEqualTo(1);
        assertThat(rule.get("currency").asText()).isEqualTo("points");

        for (String user : new String[]{"42", "42", "42", "7", "7", "9"}) {
            JsonNode accepted = postJson(ADMIN_KEY, "/v1/events",
                    "{\"event_type\":\"deposit_made\",\"user_id\":\"" + user + "\",\"event_data\":{\"amount\":100,\"currency\":\"VND\"}}",
                    202);
            assertThat(accepted.get("status").asText()).isEqualTo("accepted");
            assertThat(accepted.get("event_id").asText()).isNotBlank();
        }
        JsonNode violation = postJson(ADMIN_KEY, "/v1/events",
                "{\"event_type\":\"deposit_made\",\"user_id\":\"42\",\"event_data\":{\"amount\":\"lots\"}}", 422);
        assertThat(violation.get("code").asText()).isEqualTo("SCHEMA_VIOLATION");
        assertThat(violation.at("/errors/0/pointer").asText()).isEqualTo("/event_data/amount");
        assertThat(postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"never_declared\",\"user_id\":\"42\"}", 400)
                .get("code").asText()).isEqualTo("EVENT_TYPE_NOT_DECLARED");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time", 200).get("total").asLong()).isEqualTo(3));
        JsonNode board = getJson(ADMIN_KEY, "/v1/leaderboards/all-time?limit=10", 200);
        assertThat(board.get("leaderboard_id").asText()).isEqualTo("all-time");
        assertThat(board.has("period_start")).isTrue();
        assertThat(board.at("/entries/0/user_id").asText()).isEqualTo("42");
        assertThat(board.at("/entries/0/score").asLong()).isEqualTo(30);
        assertThat(board.at("/entries/0/rank").asLong()).isEqualTo(1);
        assertThat(board.at("/entries/1/user_id").asText()).isEqualTo("7");
        assertThat(board.at("/entries/2/rank").asLong()).isEqualTo(3);

        JsonNode rank = getJson(ADMIN_KEY, "/v1/leaderboards/all-time/users/7", 200);
        assertThat(rank.get("rank").asLong()).isEqualTo(2);
        assertThat(rank.get("score").asLong()).isEqualTo(20);
        assertThat(rank.get("total").asLong()).isEqualTo(3);
        assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time/users/nobody", 404).get("code").asText())
                .isEqualTo("USER_NOT_RANKED");

        JsonNode points = getJson(ADMIN_KEY, "/v1/users/42/points", 200);
        assertThat(points.at("/balances/0/currency").asText()).isEqualTo("points");
        assertThat(points.at("/balances/0/earned").asLong()).isEqualTo(30);
        assertThat(points.at("/balances/0/available").asLong()).isEqualTo(30);
        JsonNode ledger = getJson(ADMIN_KEY, "/v1/users/42/ledger?limit=10", 200);
        assertThat(ledger.get("entries")).hasSize(3);
        assertThat(ledger.at("/entries/0/rule_id").asText()).isEqualTo(rule.get("id").asText());
        assertThat(ledger.at("/entries/0/kind").asText()).isEqualTo("awarded");
        assertThat(ledger.at("/entries/0/points").asLong()).isEqualTo(10);

        JsonNode projections = getJson(ADMIN_KEY, "/v1/ops/projections", 200).get("projections");
        assertThat(projections.findValuesAsText("name")).contains("scoring", "leaderboards");

        JsonNode rebuild = postJson(ADMIN_KEY, "/v1/ops/projections/leaderboards/rebuild", "{}", 202);
        String id = rebuild.get("id").asText();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + id, 200).get("status").asText()).isEqualTo("completed"));
        assertThat(getJson(ADMIN_KEY, "/v1/ops/projections/leaderboards", 200).get("generation").asInt()).isEqualTo(2);
        JsonNode after = getJson(ADMIN_KEY, "/v1/leaderboards/all-time?limit=10", 200);
        assertThat(after.get("entries")).isEqualTo(board.get("entries"));
        // the fill logged no changes (nobody followed generation 2 then: its rankings were loaded from its scores);
        // live, its batches are logged again, and the rankings follow them
        assertThat(count("SELECT count(*) FROM p_leaderboards_g2.score_changes")).isZero();
        postJson(ADMIN_KEY, "/v1/events",
                "{\"event_type\":\"deposit_made\",\"user_id\":\"9\",\"event_data\":{\"amount\":5}}", 202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson(ADMIN_KEY, "/v1/leaderboards/all-time/users/9", 200).get("score").asLong()).isEqualTo(20));
        assertThat(count("SELECT count(*) FROM p_leaderboards_g2.score_changes")).isEqualTo(1);
    }

    /** The answer of a {@code SELECT count(*)} on the platform's database. */
    private static long count(String sql) {
        try (java.sql.Connection c = io.laurel.testkit.LaurelTestInfra.forClass(WalkingSkeletonIT.class).openConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** GET /actuator/prometheus without a key: the metrics API.md names, counting what happened (API.md, "Operability"). */
    @Test
    void prometheusMetricsCountIngestOutcomesAndShowProjections() throws Exception {
        PrometheusText before = scrape();
        String type = "metric_probe_" + Long.toHexString(System.nanoTime());
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"" + type + "\",\"description\":\"probe\","
                + "\"event_data_schema\":{\"required\":[\"n\"],\"properties\":{\"n\":\"number\"}}}", 201);
        String ok = "{\"event_type\":\"" + type + "\",\"user_id\":\"m1\",\"event_data\":{\"n\":1}}";
        String keyed = "{\"event_type\":\"" + type + "\",\"user_id\":\"m1\",\"idempotence_key\":\"k-" + type
                + "\",\"event_data\":{\"n\":1}}";
        postJson(ADMIN_KEY, "/v1/events", ok, 202);
        postJson(ADMIN_KEY, "/v1/events", keyed, 202);
        postJson(ADMIN_KEY, "/v1/events", keyed, 200); // duplicate
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"" + type + "\",\"user_id\":\"m1\",\"event_data\":{\"n\":\"x\"}}", 422);
        JsonNode batch = postJson(ADMIN_KEY, "/v1/events:batch", "{\"events\":[" + ok + ",{\"event_type\":\"" + type
                + "\",\"user_id\":\"m1\"}]}", 200);
        assertThat(batch.get("results").valueStream().map(r -> r.get("status").asText()).toList())
                .containsExactly("accepted", "rejected");

        PrometheusText after = scrape();
        java.util.function.BiFunction<PrometheusText, String, Double> outcome = (t, o) ->
                t.count("laurel_ingest_events_total", Map.of("tenant", "default", "outcome", o));
        assertThat(outcome.apply(after, "accepted") - outcome.apply(before, "accepted")).isEqualTo(3.0);
        assertThat(outcome.apply(after, "duplicate") - outcome.apply(before, "duplicate")).isEqualTo(1.0);
        assertThat(outcome.apply(after, "rejected") - outcome.apply(before, "rejected")).isEqualTo(2.0);
        assertThat(outcome.apply(after, "failed") - outcome.apply(before, "failed")).isZero();

        // the projections, from the status each instance reports every 2 s: the scoring projection folds the events
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusText now = scrape();
            for (String projection : List.of("scoring", "leaderboards", "badges", "notifications", "webhooks", "event_log")) {
                assertThat(now.sum("laurel_projection_lag", Map.of("projection", projection))).as(projection).isNotNull();
                assertThat(now.sum("laurel_projection_up", Map.of("projection", projection))).as(projection).isEqualTo(1.0);
                assertThat(now.sum("laurel_projection_records_total", Map.of("projection", projection))).as(projection)
                        .isNotNull();
            }
            assertThat(now.count("laurel_projection_records_total", Map.of("projection", "scoring")))
                    .isGreaterThanOrEqualTo(3.0);
            assertThat(now.count("laurel_projection_lag", Map.of("projection", "scoring"))).isZero();
        });
        PrometheusText now = scrape();
        assertThat(now.names()).contains("laurel_rebuild_progress", "laurel_rebuild_eta_seconds",
                "laurel_recalculations_running", "laurel_recalculation_progress", "laurel_projection_dead_lettered_total");
        // HTTP server timings, as a histogram
        assertThat(now.count("http_server_requests_seconds_count", Map.of("uri", "/v1/events", "status", "202")))
                .isGreaterThanOrEqualTo(2.0);
        assertThat(now.names()).contains("http_server_requests_seconds_bucket");

        // every query of the Grafana dashboard names a metric the platform exports
        GrafanaDashboard dashboard = GrafanaDashboard.read(java.nio.file.Path.of("..", "deploy", "grafana",
                "laurel-dashboard.json"));
        assertThat(dashboard.queries()).hasSizeGreaterThanOrEqualTo(10);
        for (String query : dashboard.queries()) {
            assertThat(GrafanaDashboard.metrics(query)).as("metrics named by %s", query).isNotEmpty();
            assertThat(now.names()).as("metrics named by %s", query).containsAll(GrafanaDashboard.metrics(query));
        }
    }

    /** GET /v1/version without a key. */
    @Test
    void theVersionIsAnsweredWithoutAKey() {
        JsonNode version = json(client().get().uri("/v1/version").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());
        assertThat(version.get("api_version").asText()).isEqualTo("1");
        assertThat(version.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        // built from this git checkout: the commit it was built from
        if (java.nio.file.Files.exists(java.nio.file.Path.of("..", ".git"))) {
            assertThat(version.get("commit").asText()).matches("[0-9a-f]{12}(-dirty)?");
        } else {
            assertThat(version.get("commit").asText()).isEqualTo("unknown");
        }
    }

    private PrometheusText scrape() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                + "/actuator/prometheus")).timeout(Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return new PrometheusText(response.body());
    }

    @org.junit.jupiter.api.Test
    void theOpenApiDocumentDescribesTheApiWithoutAKey() {
        JsonNode doc = json(client().get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("paths").has("/v1/events")).isTrue();
        assertThat(doc.get("paths").has("/v1/leaderboards/{id}")).isTrue();
        assertThat(doc.get("paths").has("/v1/ops/projections")).isTrue();
        assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
    }

    /**
     * Every operation of the OpenAPI document has a component schema for its request body and its JSON answer: the
     * records of laurel-api, the catalog's definitions, or the Open Badges documents (OpenApiSchemas says what counts).
     */
    @Test
    void everyOperationHasComponentSchemasForItsBodies() {
        JsonNode doc = json(client().get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());
        assertThat(doc.path("paths").size()).isGreaterThan(60);
        assertThat(OpenApiSchemas.lacking(doc)).as("operations lacking a component schema").isEmpty();
        assertThat(doc.at("/components/schemas/EventReceipt/properties/event_id/type").asText()).isEqualTo("string");
        assertThat(doc.at("/components/schemas/Event/properties").has("idempotence_key")).isTrue();
    }

    @Test
    void everyConsumerGroupOfThePlatformUsesTheConsumerGroupProtocol() {
        TestEnvironment env = LaurelTestInfra.forClass(WalkingSkeletonIT.class);
        String prefix = env.topicPrefix() + ".";
        // the inbound gateway, and each projection's live generation (".g<N>": a rebuild may have made g2)
        Set<String> consumers = Set.of("ingest.inbound", "event_log", "scoring", "badges", "notifications",
                "webhooks", "leaderboards");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<String> ours = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                        .map(GroupListing::groupId).filter(id -> id.startsWith(prefix)).toList();
                Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(ours).all()
                        .get(30, TimeUnit.SECONDS);
                Set<String> withMembers = new HashSet<>();
                groups.values().stream().filter(g -> !g.members().isEmpty()).forEach(g -> {
                    assertThat(g.type()).as("type of group %s", g.groupId()).isEqualTo(GroupType.CONSUMER);
                    withMembers.add(g.groupId().substring(prefix.length()).replaceFirst("\\.g\\d+$", ""));
                });
                assertThat(withMembers).containsAll(consumers);
            });
        }
    }

    /**
     * The Java client SDK (laurel-client) against this running platform: the README's example as it is written there,
     * then every area of the API through the typed records, the live stream as a Flux, and typed errors.
     */
    @org.junit.jupiter.api.Nested
    class ClientSdk {
        private io.laurel.client.LaurelClient laurel() {
            return io.laurel.client.LaurelClient.builder().baseUrl("http://localhost:" + port).apiKey(ADMIN_KEY).build();
        }

        @Test
        void theReadmeExampleRuns() {
            EventReceipt receipt = ReadmeExample.run("http://localhost:" + port, ADMIN_KEY);
            LaurelClient laurel = laurel();
            assertThat(receipt.status()).isEqualTo("accepted");
            assertThat(laurel.send(Event.of("lesson_done", "ann", Map.of("minutes", 30)).withIdempotenceKey("lesson-1-ann"))
                    .eventId()).isEqualTo(receipt.eventId());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(laurel.points("ann").balances()).singleElement().satisfies(b -> {
                        assertThat(b.currency()).isEqualTo("points");
                        assertThat(b.available()).isEqualTo(5);
                    }));
        }

        @Test
        void everyAreaOfTheApiThroughTheRecords() throws Exception {
            LaurelClient laurel = laurel();
            assertThat(laurel.version().apiVersion()).isEqualTo("1");
            EventType type = laurel.admin().createEventType(EventTypeRequest.of("sdk_sale", List.of("amount"),
                    Map.of("amount", "number")));
            assertThat(type.isSystem()).isFalse();
            assertThat(laurel.admin().eventTypes().eventTypes()).extracting(EventType::name)
                    .contains("sdk_sale", "score.manual", "points.redeemed");
            Rule rule = laurel.admin().createRule(RuleRequest.fixed("10 per sale", "sdk_sale", 10));
            assertThat(rule.version()).isEqualTo(1);

            // typed errors, with the problem's code and pointers
            assertThatThrownBy(() -> laurel.send(Event.of("sdk_never_declared", "s1", Map.of())))
                    .isInstanceOfSatisfying(LaurelApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
                    });
            assertThatThrownBy(() -> laurel.admin().createEventType(EventTypeRequest.of("sdk_sale", List.of(), Map.of())))
                    .isInstanceOfSatisfying(LaurelApiException.class, e -> assertThat(e.code()).isEqualTo("EVENT_TYPE_EXISTS"));

            // events: single, batch with per-item results, remove
            assertThat(laurel.send(Event.of("sdk_sale", "s1", Map.of("amount", 3))).status()).isEqualTo("accepted");
            BatchResults batch = laurel.sendBatch(List.of(Event.of("sdk_sale", "s1", Map.of("amount", 4)),
                    Event.of("sdk_sale", "s2", Map.of("amount", "four")), Event.of("sdk_sale", "s2", Map.of("amount", 5))));
            assertThat(batch.results()).extracting(BatchResult::status).containsExactly("accepted", "rejected", "accepted");
            assertThat(batch.results().get(1).error().code()).isEqualTo("SCHEMA_VIOLATION");
            assertThat(batch.results().get(1).error().errors().get(0).pointer()).isEqualTo("/event_data/amount");
            assertThat(laurel.remove(Event.of("sdk_sale", "s2", Map.of("amount", 5))).status()).isEqualTo("accepted");
            assertThat(laurel.hook("sdk_sale", Map.of("user_id", "s3", "amount", "7")).status()).isEqualTo("accepted");

            // points, ledger with provenance
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(laurel.points("s1").balances().get(0).earned()).isEqualTo(20);
                assertThat(laurel.points("s2").balances().get(0).earned()).isZero();
                assertThat(laurel.points("s3").balances().get(0).earned()).isEqualTo(10);
            });
            Ledger ledger = laurel.ledger("s1", 10);
            assertThat(ledger.entries()).hasSize(2).allSatisfy(e -> {
                assertThat(e.ruleId()).isEqualTo(rule.id());
                assertThat(e.ruleVersion()).isEqualTo(1);
                assertThat(e.kind()).isEqualTo("awarded");
                assertThat(e.eventId()).isNotBlank();
            });
            // the event log is a projection of its own, maybe behind scoring
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(laurel.eventLog("s1", "sdk_sale", 10).events()).hasSize(2));

            // score events and redemptions (a key is generated when none is given)
            ScoreEvent manual = laurel.postScoreEvent(new ScoreEventRequest("s1", "2026-11-01", 7, "helped out"));
            assertThat(manual.id()).isNotBlank();
            assertThat(laurel.scoreEvents("s1").scoreEvents()).extracting(ScoreEvent::id).contains(manual.id());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(laurel.points("s1").balances().get(0).available()).isEqualTo(27));
            Redemption mug = laurel.redeem(RedemptionRequest.of("s1", 25, "a mug"));
            assertThat(mug.status()).isEqualTo("completed");
            assertThatThrownBy(() -> laurel.redeem(RedemptionRequest.of("s1", 25, "another mug")))
                    .isInstanceOfSatisfying(LaurelApiException.class, e -> assertThat(e.code()).isEqualTo("INSUFFICIENT_POINTS"));
            assertThat(laurel.redemption(mug.id()).points()).isEqualTo(25);

            // leaderboards: page, rank, around, and the live stream as a Flux
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(laurel.rank("all-time", "s1").score()).isEqualTo(27));
            assertThat(laurel.around("all-time", "s3", 1).entries()).extracting(LeaderboardEntry::userId).contains("s3");
            assertThat(laurel.leaderboard("all-time", 0, 1000).entries()).extracting(LeaderboardEntry::userId)
                    .contains("s1", "s3");
            java.util.concurrent.CompletableFuture<LeaderboardPage> seen = laurel.reactive()
                    .leaderboardStream("all-time", 100, "s4")
                    .filter(page -> page.entries().stream().anyMatch(e -> e.userId().equals("s4")))
                    .next().toFuture();
            LeaderboardPage first = laurel.reactive().leaderboardStream("all-time", 100, null).blockFirst(Duration.ofSeconds(30));
            assertThat(first.entries()).extracting(LeaderboardEntry::userId).contains("s1");
            laurel.send(Event.of("sdk_sale", "s4", Map.of("amount", 1)));
            LeaderboardPage update = seen.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(update.user()).containsEntry("user_id", "s4").containsEntry("score", 10);

            // badges and notifications
            BadgeDefinition helper = laurel.admin().createBadge(BadgeDefinition.manual("sdk_helper", "Helper", "Helped"));
            assertThat(helper.kind()).isEqualTo("manual");
            assertThat(helper.version()).isEqualTo(1);
            assertThat(laurel.grantBadge("sdk_helper", "s1").badgeEarned()).isTrue();
            assertThat(laurel.grantBadge("sdk_helper", "s1").badgeEarned()).isFalse();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(laurel.badges("s1").badges()).extracting(UserBadge::badgeId).contains("sdk_helper");
                assertThat(laurel.notifications("s1", true).notifications()).isNotEmpty();
            });
            assertThat(laurel.user("s1").badges()).extracting(UserBadge::badgeId).contains("sdk_helper");
            assertThat(laurel.challenges("s1").challenges()).isEmpty();

            // features and display names
            JsonNode feature = laurel.admin().createFeature(new FeatureRequest("sdk_beta", "Beta", null,
                    FeatureRequest.Unlock.manual()));
            assertThat(feature.get("unlock").get("kind").asText()).isEqualTo("manual");
            assertThat(laurel.grantFeature("sdk_beta", "s1").unlocked()).isTrue();
            assertThat(laurel.grantFeature("sdk_beta", "s1").unlocked()).isFalse();
            assertThat(laurel.features("s1").features()).extracting(UserFeature::featureId).containsExactly("sdk_beta");
            assertThat(laurel.setDisplayName("s1", "Sam One").displayName()).isEqualTo("Sam One");
            assertThat(laurel.user("s1").displayName()).isEqualTo("Sam One");
            assertThat(laurel.user("s1").features()).extracting(UserFeature::name).containsExactly("Beta");
            assertThat(laurel.setDisplayName("s1", null).displayName()).isNull();
            assertThat(laurel.profile("s1").displayName()).isNull();
            assertThat(laurel.reactive().points("s1").block(Duration.ofSeconds(30)).userId()).isEqualTo("s1");

            // operations: a rebuild with its progress, a recalculation from its dry run to apply
            List<Rebuild> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
            Rebuild rebuild = laurel.ops().rebuild("leaderboards", false);
            Rebuild done = laurel.ops().awaitRebuild(rebuild.id(), Duration.ofMillis(200), Duration.ofSeconds(90), progress::add);
            assertThat(done.status()).isEqualTo("completed");
            assertThat(progress).isNotEmpty().allSatisfy(r -> assertThat(r.projection()).isEqualTo("leaderboards"));
            assertThat(laurel.ops().projections().projections()).extracting(ProjectionStatus::name)
                    .contains("scoring", "leaderboards", "badges");

            laurel.admin().updateRule(rule.id(), RuleRequest.fixed("20 per sale", "sdk_sale", 20));
            Recalculation dry = laurel.ops().recalculate(new RecalculationRequest(null, null, List.of("sdk_sale"), null));
            Recalculation ready = laurel.ops().awaitRecalculation(dry.id(), Duration.ofMillis(200), Duration.ofSeconds(90), null);
            assertThat(ready.status()).isEqualTo("ready");
            // s1: 2 sales, s3: 1, s4: 1, s2: a sale and its removal: 10 more per sale still counted
            assertThat(ready.totals()).singleElement().satisfies(t -> assertThat(t.net()).isEqualTo(40));
            assertThat(laurel.ops().changes(dry.id(), 0, 10).changes()).extracting(UserChange::userId, UserChange::delta)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("s1", 20L), org.assertj.core.groups.Tuple.tuple("s3", 10L),
                            org.assertj.core.groups.Tuple.tuple("s4", 10L));
            assertThat(laurel.ops().changesCsv(dry.id())).startsWith("user_id,").contains("s1,points,");
            laurel.ops().applyRecalculation(dry.id());
            assertThat(laurel.ops().awaitRecalculation(dry.id(), Duration.ofMillis(200), Duration.ofSeconds(90), null)
                    .status()).isEqualTo("applied");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(laurel.points("s3").balances().get(0).earned()).isEqualTo(20));
        }
    }
}
