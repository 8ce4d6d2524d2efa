package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Badge definitions through the catalog, events and points into awards, grants, the awards on
 * laurel.achievements, bad input, and a rebuild of the badge projection that yields the same awards and
 * announces none.
 */
class BadgesIT extends PlatformTestSupport {

    @DynamicPropertySource
    static void env(DynamicPropertyRegistry registry) {
        register(registry, BadgesIT.class);
    }

    @Test
    void eventsAndPointsEarnBadgesGrantsAreDecidedAndARebuildAnnouncesNothing() {
        TestEnvironment env = LaurelTestInfra.forClass(BadgesIT.class);
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"post\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"attend\",\"event_data_schema\":{\"properties\":"
                + "{\"online\":\"boolean\"}}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"post\",\"event_type\":\"post\",\"points\":30}", 201);
        JsonNode hello = postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"hello\",\"name\":\"Hello world\",\"kind\":"
                + "\"first\",\"event_type\":\"post\",\"image_url\":\"https://example.com/hello.png\"}", 201);
        assertThat(hello.get("kind").asText()).isEqualTo("first");
        assertThat(hello.get("version").asInt()).isEqualTo(1);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"five\",\"kind\":\"count\",\"event_type\":\"attend\","
                + "\"threshold\":5,\"condition\":\"online == true\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"century\",\"kind\":\"points\",\"threshold\":100}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"egg\",\"name\":\"Easter egg\",\"kind\":\"manual\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"clicks\",\"kind\":\"manual\",\"repeatable\":true}", 201);

        for (int i = 0; i < 4; i++) {
            postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"post\",\"user_id\":\"ann\"}", 202);
        }
        for (int i = 0; i < 6; i++) {
            postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"attend\",\"user_id\":\"ann\",\"event_data\":{\"online\":"
                    + (i != 2) + "}}", 202);
        }
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"attend\",\"user_id\":\"bob\",\"event_data\":{\"online\":true}}",
                202);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(ADMIN_KEY, "/v1/users/ann/badges", 200).get("badges").size() == 3);
        JsonNode badges = getJson(ADMIN_KEY, "/v1/users/ann/badges", 200).get("badges");
        assertThat(badges.findValuesAsText("badge_id")).containsExactlyInAnyOrder("hello", "five", "century");
        assertThat(badges.findValuesAsText("count")).containsOnly("1");
        JsonNode first = find(badges, "hello");
        assertThat(first.get("name").asText()).isEqualTo("Hello world");
        assertThat(first.get("image_url").asText()).isEqualTo("https://example.com/hello.png");
        assertThat(first.get("award_id").asText()).isNotBlank();
        assertThat(getJson(ADMIN_KEY, "/v1/users/bob/badges", 200).get("badges")).isEmpty();

        // grants: a manual badge once, a repeatable one each time
        JsonNode granted = postJson(ADMIN_KEY, "/v1/badges/egg/grants", "{\"user_id\":\"ann\"}", 201);
        assertThat(granted.get("badge_earned").asBoolean()).isTrue();
        assertThat(postJson(ADMIN_KEY, "/v1/badges/egg/grants", "{\"user_id\":\"ann\"}", 200).get("badge_earned")
                .asBoolean()).isFalse();
        postJson(ADMIN_KEY, "/v1/badges/clicks/grants", "{\"user_id\":\"ann\"}", 201);
        assertThat(postJson(ADMIN_KEY, "/v1/badges/clicks/grants", "{\"user_id\":\"ann\"}", 201).get("count").asInt())
                .isEqualTo(2);
        JsonNode after = getJson(ADMIN_KEY, "/v1/users/ann/badges", 200).get("badges");
        assertThat(after).hasSize(5);
        assertThat(find(after, "clicks").get("count").asInt()).isEqualTo(2);

        // every award is announced once on laurel.achievements
        String topic = env.topics().achievements().name();
        List<JsonNode> announced = readAll(env, topic, 6, BadgesIT::ofAnnAndBob);
        assertThat(announced).hasSize(6);
        assertThat(announced.stream().map(a -> a.get("award_id").asText()).distinct()).hasSize(6);
        assertThat(announced.stream().map(a -> a.get("badge_id").asText()))
                .containsExactlyInAnyOrder("hello", "five", "century", "egg", "clicks", "clicks");
        assertThat(announced).allSatisfy(a -> {
            assertThat(a.get("kind").asText()).isEqualTo("badge_awarded");
            assertThat(a.get("user_id").asText()).isEqualTo("ann");
        });

        // a rebuild of the badge projection yields the same awards and announces none of them again
        List<String> awardIds = after.findValuesAsText("award_id");
        String[] started = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var result = post(ADMIN_KEY, "/v1/ops/projections/badges/rebuild", "{}").expectBody().returnResult();
            if (result.getStatus().value() == 202) {
                started[0] = json(result.getResponseBodyContent()).get("id").asText();
                return true;
            }
            return false;
        });
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "completed".equals(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + started[0], 200).get("status").asText()));
        JsonNode rebuilt = getJson(ADMIN_KEY, "/v1/users/ann/badges", 200).get("badges");
        assertThat(rebuilt.findValuesAsText("award_id")).containsExactlyInAnyOrderElementsOf(awardIds);
        assertThat(find(rebuilt, "clicks").get("count").asInt()).isEqualTo(2);
        // one more award after the rebuild is announced: the topic holds exactly the seven
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"post\",\"user_id\":\"bob\"}", 202);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(ADMIN_KEY, "/v1/users/bob/badges", 200).get("badges").size() == 1);
        assertThat(readAll(env, topic, 7, BadgesIT::ofAnnAndBob)).hasSize(7);
    }

    @Test
    void aClientPostingWithWaitBadgesLearnsWhatTheEventEarned() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"session\",\"event_data_schema\":{\"properties\":"
                + "{\"track\":\"string\"}}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"keynote\",\"name\":\"Keynote\",\"kind\":\"attendance\","
                + "\"event_type\":\"session\",\"sessions\":[{\"id\":\"k1\",\"start\":\"2026-01-01T00:00:00Z\","
                + "\"end\":\"2030-01-01T00:00:00Z\",\"track\":\"main\"}]}", 201);
        JsonNode earned = postJson(ADMIN_KEY, "/v1/events?wait=badges", "{\"event_type\":\"session\",\"user_id\":"
                + "\"dee\",\"idempotence_key\":\"dee-k1\",\"event_data\":{\"track\":\"main\"}}", 202);
        assertThat(earned.get("badges_decided").asBoolean()).isTrue();
        assertThat(earned.get("badge_earned").asBoolean()).isTrue();
        assertThat(earned.get("badges").findValuesAsText("badge_id")).containsExactly("keynote");
        assertThat(earned.get("badges").get(0).get("name").asText()).isEqualTo("Keynote");
        // the same event again: a duplicate, with what the first earned
        JsonNode again = postJson(ADMIN_KEY, "/v1/events?wait=badges", "{\"event_type\":\"session\",\"user_id\":"
                + "\"dee\",\"idempotence_key\":\"dee-k1\",\"event_data\":{\"track\":\"main\"}}", 200);
        assertThat(again.get("status").asText()).isEqualTo("duplicate");
        assertThat(again.get("event_id").asText()).isEqualTo(earned.get("event_id").asText());
        assertThat(again.get("badges").findValuesAsText("badge_id")).containsExactly("keynote");
        // a second session event earns nothing more (not repeatable)
        JsonNode nothing = postJson(ADMIN_KEY, "/v1/events?wait=badges", "{\"event_type\":\"session\",\"user_id\":"
                + "\"dee\",\"event_data\":{\"track\":\"main\"}}", 202);
        assertThat(nothing.get("badges_decided").asBoolean()).isTrue();
        assertThat(nothing.get("badge_earned").asBoolean()).isFalse();
        assertThat(nothing.get("badges")).isEmpty();
        assertThat(postJson(ADMIN_KEY, "/v1/events?wait=everything", "{\"event_type\":\"session\",\"user_id\":"
                + "\"dee\"}", 400).get("code").asText()).isEqualTo("INVALID_WAIT");
        assertThat(postJson(ADMIN_KEY, "/v1/events?wait=badges&wait_ms=99999", "{\"event_type\":\"session\","
                + "\"user_id\":\"dee\"}", 400).get("code").asText()).isEqualTo("INVALID_WAIT");
    }

    @Test
    void notificationsAreKeptOncePerAwardAndTheirReadStateSurvivesARebuild() throws Exception {
        TestEnvironment env = LaurelTestInfra.forClass(BadgesIT.class);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"shell\",\"name\":\"Shell\",\"kind\":\"manual\","
                + "\"repeatable\":true}", 201);
        postJson(ADMIN_KEY, "/v1/badges/shell/grants", "{\"user_id\":\"nia\"}", 201);
        postJson(ADMIN_KEY, "/v1/badges/shell/grants", "{\"user_id\":\"nia\"}", 201);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(ADMIN_KEY, "/v1/notifications?user_id=nia", 200).get("notifications").size() == 2);
        JsonNode list = getJson(ADMIN_KEY, "/v1/notifications?user_id=nia&unread=true", 200);
        assertThat(list.get("unread").asLong()).isEqualTo(2);
        JsonNode newest = list.get("notifications").get(0);
        assertThat(newest.get("title").asText()).isEqualTo("You earned the badge Shell");
        assertThat(newest.at("/data/badge_id").asText()).isEqualTo("shell");
        assertThat(newest.get("read").asBoolean()).isFalse();

        // the same achievement delivered again, and a record that is no achievement: one notification each award,
        // the bad record dead-lettered
        List<List<JsonNode>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<JsonNode> nia = readAll(env, env.topics().achievements().name(), 1, all -> all.stream()
                    .filter(a -> a.get("user_id").asText().equals("nia")).toList());
            found.add(nia);
            return nia.size() == 2;
        });
        List<JsonNode> announced = found.get(found.size() - 1);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            String topic = env.topics().achievements().name();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "default/nia",
                    io.laurel.events.json.LaurelJson.mapper().writeValueAsBytes(announced.get(0)))).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "default/nia",
                    "{\"kind\":\"badge_awarded\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (JsonNode p : getJson(ADMIN_KEY, "/v1/ops/projections", 200).get("projections")) {
                if (p.get("name").asText().equals("notifications")) {
                    return p.get("dead_lettered").asLong() == 1;
                }
            }
            return false;
        });
        assertThat(getJson(ADMIN_KEY, "/v1/notifications?user_id=nia", 200).get("notifications")).hasSize(2);

        // read one; the state survives a rebuild of the notifications
        JsonNode read = postJson(ADMIN_KEY, "/v1/notifications/" + newest.get("id").asText() + "/read", "", 200);
        assertThat(read.get("read").asBoolean()).isTrue();
        postJson(ADMIN_KEY, "/v1/notifications/" + newest.get("id").asText() + "/read", "", 200);
        assertThat(getJson(ADMIN_KEY, "/v1/notifications?user_id=nia&unread=true", 200).get("unread").asLong())
                .isEqualTo(1);
        String id = postJson(ADMIN_KEY, "/v1/ops/projections/notifications/rebuild", "{}", 202).get("id").asText();
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "completed".equals(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + id, 200).get("status").asText()));
        JsonNode after = getJson(ADMIN_KEY, "/v1/notifications?user_id=nia", 200);
        assertThat(after.get("notifications")).hasSize(2);
        assertThat(after.get("unread").asLong()).isEqualTo(1);
        assertThat(after.get("notifications").findValuesAsText("read")).containsExactlyInAnyOrder("true", "false");

        // bad input
        assertThat(getJson(ADMIN_KEY, "/v1/notifications", 400).get("code").asText()).isEqualTo("USER_ID_REQUIRED");
        getJson(ADMIN_KEY, "/v1/notifications?user_id=nia&limit=0", 400);
        assertThat(postJson(ADMIN_KEY, "/v1/notifications/nope/read", "", 404).get("code").asText())
                .isEqualTo("NOTIFICATION_NOT_FOUND");
        String other = tenantWithKey("elsewhere", List.of("badges:read", "badges:write"));
        postJson(other, "/v1/notifications/" + newest.get("id").asText() + "/read", "", 404);
        assertThat(getJson(other, "/v1/notifications?user_id=nia", 200).get("notifications")).isEmpty();
    }

    @Test
    void pointsRaiseTheUsersLevelAndEachLevelReachedIsNotified() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"climb\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"climb\",\"event_type\":\"climb\",\"points\":60}", 201);
        JsonNode set = postJson(ADMIN_KEY, "/v1/admin/levels", "{\"id\":\"ranks\",\"name\":\"Ranks\",\"levels\":["
                + "{\"number\":1,\"name\":\"Bronze\",\"threshold\":50},{\"number\":2,\"name\":\"Silver\",\"threshold\":100},"
                + "{\"number\":3,\"name\":\"Gold\",\"threshold\":500}]}", 201);
        assertThat(set.get("levels")).hasSize(3);
        JsonNode bad = postJson(ADMIN_KEY, "/v1/admin/levels", "{\"id\":\"bad\",\"levels\":[{\"number\":1,\"name\":"
                + "\"A\",\"threshold\":50},{\"number\":2,\"name\":\"B\",\"threshold\":50}]}", 422);
        assertThat(bad.get("errors").findValuesAsText("pointer")).containsExactly("/levels/1/threshold");
        postJson(ADMIN_KEY, "/v1/admin/levels", "{\"id\":\"none\",\"levels\":[]}", 422);

        JsonNode before = getJson(ADMIN_KEY, "/v1/users/lev/levels", 200).get("levels").get(0);
        assertThat(before.path("level").isNull() || before.path("level").isMissingNode()).isTrue();
        assertThat(before.at("/next/points_needed").asLong()).isEqualTo(50);
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"climb\",\"user_id\":\"lev\"}", 202);
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"climb\",\"user_id\":\"lev\"}", 202);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(ADMIN_KEY, "/v1/users/lev/levels", 200).at("/levels/0/points").asLong() == 120);
        JsonNode now = getJson(ADMIN_KEY, "/v1/users/lev/levels", 200).get("levels").get(0);
        assertThat(now.at("/level/name").asText()).isEqualTo("Silver");
        assertThat(now.at("/next/name").asText()).isEqualTo("Gold");
        assertThat(now.at("/next/points_needed").asLong()).isEqualTo(380);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                getJson(ADMIN_KEY, "/v1/notifications?user_id=lev", 200).get("notifications").size() == 2);
        assertThat(getJson(ADMIN_KEY, "/v1/notifications?user_id=lev", 200).get("notifications").findValuesAsText("title"))
                .containsExactlyInAnyOrder("You reached level Bronze", "You reached level Silver");
        // the user summary brings it together
        JsonNode summary = getJson(ADMIN_KEY, "/v1/users/lev", 200);
        assertThat(summary.get("profile_uuid").asText()).hasSize(36);
        assertThat(summary.at("/points/0/currency").asText()).isEqualTo("points");
        assertThat(summary.at("/points/0/earned").asLong()).isEqualTo(120);
        assertThat(summary.at("/levels/0/level/name").asText()).isEqualTo("Silver");
        assertThat(summary.at("/level/name").asText()).isEqualTo("Silver");
        assertThat(summary.at("/level/number").asInt()).isEqualTo(2);
        assertThat(summary.at("/level/level_set").asText()).isEqualTo("ranks");
        assertThat(summary.get("badges")).isEmpty();
        getJson(keyFor("default", List.of("events:write")), "/v1/users/lev", 403);
    }

    @Test
    void aPublicProfileShowsTheBadgesWithoutAKeyAndObscuresAnEmail() {
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"pro\",\"name\":\"Pro\",\"kind\":\"manual\"}", 201);
        postJson(ADMIN_KEY, "/v1/badges/pro/grants", "{\"user_id\":\"zoe@example.com\"}", 201);
        JsonNode mine = getJson(ADMIN_KEY, "/v1/users/zoe@example.com/badges", 200);
        String uuid = mine.get("profile_uuid").asText();
        assertThat(getJson(ADMIN_KEY, "/v1/users/zoe@example.com/badges", 200).get("profile_uuid").asText())
                .isEqualTo(uuid);
        JsonNode profile = json(client().get().uri("/v1/profiles/" + uuid).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBodyContent());
        assertThat(profile.get("user").asText()).isEqualTo("z***@example.com");
        assertThat(profile.toString()).doesNotContain("zoe@");
        assertThat(profile.get("badges").findValuesAsText("badge_id")).containsExactly("pro");
        assertThat(profile.get("badges").get(0).get("name").asText()).isEqualTo("Pro");
        client().get().uri("/v1/profiles/" + java.util.UUID.randomUUID()).exchange().expectStatus().isNotFound()
                .expectBody().returnResult();
        client().get().uri("/v1/profiles/not-a-uuid").exchange().expectStatus().isNotFound().expectBody().returnResult();

        // Open Badges 2.0, hosted verification, no key: the assertion, its badge class and its issuer
        String awardId = mine.at("/badges/0/award_id").asText();
        JsonNode assertion = json(client().get().uri("/v1/openbadges/assertions/" + awardId).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith("application/ld+json")
                .expectBody().returnResult().getResponseBodyContent());
        assertThat(assertion.get("@context").asText()).isEqualTo("https://w3id.org/openbadges/v2");
        assertThat(assertion.get("type").asText()).isEqualTo("Assertion");
        assertThat(assertion.get("id").asText()).endsWith("/v1/openbadges/assertions/" + awardId).startsWith("http://");
        assertThat(assertion.at("/verification/type").asText()).isEqualTo("hosted");
        assertThat(java.time.Instant.parse(assertion.get("issuedOn").asText())).isBeforeOrEqualTo(java.time.Instant.now());
        JsonNode recipient = assertion.get("recipient");
        assertThat(recipient.get("type").asText()).isEqualTo("email");
        assertThat(recipient.get("hashed").asBoolean()).isTrue();
        assertThat(recipient.get("identity").asText()).isEqualTo("sha256$" + sha256("zoe@example.com"
                + recipient.get("salt").asText()));
        assertThat(assertion.toString()).doesNotContain("zoe@");
        String badgeUrl = assertion.get("badge").asText();
        JsonNode badgeClass = json(client().get().uri(java.net.URI.create(badgeUrl).getPath()).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
        assertThat(badgeClass.get("type").asText()).isEqualTo("BadgeClass");
        assertThat(badgeClass.get("id").asText()).isEqualTo(badgeUrl);
        assertThat(badgeClass.get("name").asText()).isEqualTo("Pro");
        assertThat(badgeClass.at("/criteria/narrative").asText()).isNotBlank();
        JsonNode issuer = json(client().get().uri(java.net.URI.create(badgeClass.get("issuer").asText()).getPath())
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBodyContent());
        assertThat(issuer.get("type").asText()).isEqualTo("Issuer");
        assertThat(issuer.get("id").asText()).isEqualTo(badgeClass.get("issuer").asText());
        String svg = new String(client().get().uri("/v1/openbadges/assertions/" + awardId + "/certificate.svg").exchange()
                .expectStatus().isOk().expectHeader().contentType("image/svg+xml").expectBody().returnResult()
                .getResponseBodyContent(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(svg).startsWith("<svg").contains("z***@example.com").contains(">Pro<").doesNotContain("zoe@");
        client().get().uri("/v1/openbadges/assertions/nope").exchange().expectStatus().isNotFound().expectBody()
                .returnResult();
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badDefinitionsAndGrantsAreRefusedClearly() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"v\",\"kind\":\"first\",\"event_type\":\"visit\"}", 201);
        assertThat(postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"v\",\"kind\":\"first\",\"event_type\":\"visit\"}",
                409).get("code").asText()).isEqualTo("BADGE_EXISTS");
        JsonNode kind = postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"k\",\"kind\":\"magic\"}", 422);
        assertThat(kind.get("errors").findValuesAsText("pointer")).contains("/kind");
        JsonNode count = postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"c\",\"kind\":\"count\",\"event_type\":\"visit\","
                + "\"threshold\":\"five\",\"condition\":\"a >\"}", 422);
        assertThat(count.get("errors").findValuesAsText("pointer")).contains("/threshold", "/condition");
        JsonNode attendance = postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"a\",\"kind\":\"attendance\","
                + "\"event_type\":\"visit\",\"sessions\":[{\"id\":\"s1\",\"start\":\"2026-07-04T10:00:00Z\","
                + "\"end\":\"2026-07-04T09:00:00Z\"}]}", 422);
        assertThat(attendance.get("errors").findValuesAsText("pointer")).contains("/sessions/0/end");
        assertThat(postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"u\",\"kind\":\"first\",\"event_type\":\"nope\"}",
                400).get("code").asText()).isEqualTo("EVENT_TYPE_NOT_DECLARED");
        postJson(ADMIN_KEY, "/v1/admin/badges", "{not json", 400);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"x\",\"kind\":\"manual\",\"description\":\""
                + "y".repeat(300 * 1024) + "\"}", 413);

        // revise and retire
        JsonNode revised = putJson(ADMIN_KEY, "/v1/admin/badges/v", "{\"name\":\"Visitor\",\"kind\":\"first\","
                + "\"event_type\":\"visit\"}", 200);
        assertThat(revised.get("version").asInt()).isEqualTo(2);
        assertThat(getJson(ADMIN_KEY, "/v1/admin/badges", 200).get("badges").findValuesAsText("id")).contains("v");
        delete(ADMIN_KEY, "/v1/admin/badges/v").expectStatus().isNoContent();
        getJson(ADMIN_KEY, "/v1/admin/badges/v", 404);

        // grants
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"egg2\",\"kind\":\"manual\"}", 201);
        assertThat(postJson(ADMIN_KEY, "/v1/badges/nope/grants", "{\"user_id\":\"ann\"}", 404).get("code").asText())
                .isEqualTo("BADGE_NOT_FOUND");
        assertThat(postJson(ADMIN_KEY, "/v1/badges/egg2/grants", "{\"user_id\":42}", 422).get("errors")
                .findValuesAsText("pointer")).containsExactly("/user_id");
        postJson(ADMIN_KEY, "/v1/badges/egg2/grants", "[1,", 400);
        String reader = keyFor("default", List.of("badges:read"));
        postJson(reader, "/v1/badges/egg2/grants", "{\"user_id\":\"ann\"}", 403);
        getJson(reader, "/v1/users/ann/badges", 200);
        String writer = keyFor("default", List.of("events:write"));
        getJson(writer, "/v1/users/ann/badges", 403);
        // clients cannot post grants as events
        assertThat(postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"badge.granted\",\"user_id\":\"ann\","
                + "\"event_data\":{\"badge_id\":\"egg2\"}}", 403).get("code").asText()).isEqualTo("SYSTEM_EVENT_TYPE");
    }

    /** The badges of ann and bob: the other tests of this class award badges to other users, and levels. */
    private static List<JsonNode> ofAnnAndBob(List<JsonNode> announced) {
        return announced.stream().filter(a -> List.of("ann", "bob").contains(a.get("user_id").asText())
                && a.get("kind").asText().equals("badge_awarded")).toList();
    }

    private static JsonNode find(JsonNode badges, String id) {
        for (JsonNode b : badges) {
            if (b.get("badge_id").asText().equals(id)) {
                return b;
            }
        }
        throw new AssertionError("no badge " + id + " in " + badges);
    }

    /**
     * The records of {@code topic} that {@code mine} keeps (other tests write to the same topic), once it keeps at
     * least {@code expected}, read to the topic's end at that moment: so more than expected shows up as such.
     */
    private static List<JsonNode> readAll(TestEnvironment env, String topic, int expected,
                                          java.util.function.Function<List<JsonNode>, List<JsonNode>> mine) {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(json(r.value()));
                }
                return mine.apply(out).size() >= expected;
            });
            // and whatever else the topic holds by now: an announcement made twice shows
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(json(r.value()));
                }
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return mine.apply(out);
    }
}
