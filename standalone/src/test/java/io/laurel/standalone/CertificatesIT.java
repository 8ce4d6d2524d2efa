package io.laurel.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import io.laurel.testkit.LaurelTestInfra;
import io.laurel.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificates from a course platform (the DiMaker + GetCourse flow), against the real broker and PostgreSQL: a
 * webhook-style call with the learner's name in its query awards a badge and answers the absolute link of its
 * certificate; the certificate, fetched without a key, is the school's template filled in (PDF and SVG), with every
 * value escaped for its format. Templates are checked when they are defined. Display names show on certificates,
 * public profiles and leaderboard pages. Features (the GMFY SDK's unlocks): each unlock kind (points of a currency, a
 * badge, a level, a completed challenge, by hand) unlocks once, at the time of the input that crossed the line, is
 * announced once as {@code feature_unlocked}, and a rebuild of the badge projection unlocks the same at the same times.
 */
class CertificatesIT extends PlatformTestSupport {
    private static final String DIPLOMA = """
            <svg xmlns="http://www.w3.org/2000/svg" width="800" height="560" viewBox="0 0 800 560">
              <rect x="10" y="10" width="780" height="540" fill="#ffffff" stroke="#204080" stroke-width="4"/>
              <text x="400" y="120" font-size="40" font-weight="bold" text-anchor="middle" fill="#204080">Diploma</text>
              <text x="400" y="220" font-size="32" text-anchor="middle">{{user_name}}</text>
              <text x="400" y="300" font-size="22" text-anchor="middle">completed {{event.course}} ({{badge_name}})</text>
              <text x="400" y="380" font-size="18" text-anchor="middle">{{issuer}}, {{date}} · {{user_id}}</text>
            </svg>""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        register(registry, CertificatesIT.class);
    }

    private String templateBody(String id, String format, String template) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"format\":\"" + format + "\",\"template\":"
                + io.laurel.events.json.LaurelJson.mapper().valueToTree(template) + "}";
    }

    private EntityExchangeResult<byte[]> hook(String query) {
        return unpooledClient(port).get().uri(URI.create("http://localhost:" + port + "/v1/hooks/course_completed?" + query))
                .exchange().expectBody().returnResult();
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String pdfText(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private EntityExchangeResult<byte[]> fetch(String url) {
        return unpooledClient(port).get().uri(URI.create(url)).exchange().expectBody().returnResult();
    }

    @Test
    void aCoursePlatformCallsAUrlAndStoresTheCertificateLinkItAnswers() throws Exception {
        String key = tenantWithKey("school", List.of("events:write", "catalog:write", "catalog:read", "badges:write",
                "badges:read", "leaderboards:read"));
        postJson(key, "/v1/admin/event-types", "{\"name\":\"course_completed\",\"event_data_schema\":{\"properties\":"
                + "{\"course\":\"string\",\"user_name\":\"string\"}}}", 201);
        JsonNode template = postJson(key, "/v1/admin/certificate-templates", templateBody("diploma", "pdf", DIPLOMA), 201);
        assertThat(template.get("format").asText()).isEqualTo("pdf");
        assertThat(template.get("version").asInt()).isEqualTo(1);
        postJson(key, "/v1/admin/certificate-templates", templateBody("diploma-svg", "svg", DIPLOMA), 201);
        JsonNode badge = postJson(key, "/v1/admin/badges", "{\"id\":\"graduate\",\"name\":\"Java graduate\",\"kind\":"
                + "\"first\",\"event_type\":\"course_completed\",\"certificate_template\":\"diploma\"}", 201);
        assertThat(badge.get("certificate_template").asText()).isEqualTo("diploma");

        // what a GetCourse process calls when a learner finishes: the name from the learner's profile in the query
        String query = "user_id=4711&user_name=" + q("Анна Иванова") + "&course=" + q("Java & Kotlin")
                + "&idempotence_key=gc-4711&wait=badges&result=link&key=" + q(key);
        EntityExchangeResult<byte[]> answered = hook(query);
        assertThat(answered.getStatus().value()).isEqualTo(200);
        assertThat(answered.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
        String link = new String(answered.getResponseBodyContent(), StandardCharsets.UTF_8);
        assertThat(link).matches("http://localhost:" + port + "/v1/certificates/[0-9a-f-]{36}");
        // the same call again (GetCourse retries): the same link
        assertThat(new String(hook(query).getResponseBodyContent(), StandardCharsets.UTF_8)).isEqualTo(link);

        // the certificate, without a key: the school's template, as PDF, with the learner's name and the course
        EntityExchangeResult<byte[]> pdf = fetch(link);
        assertThat(pdf.getStatus().value()).isEqualTo(200);
        assertThat(pdf.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PDF);
        String text = pdfText(pdf.getResponseBodyContent());
        assertThat(text).contains("Анна Иванова").contains("Java & Kotlin").contains("Java graduate").contains("school")
                .contains("4711").contains("Diploma");

        // the same award rendered as SVG once the badge names the SVG template: the name, escaped for XML
        postJson(key, "/v1/admin/badges", "{\"id\":\"graduate\",\"name\":\"Java graduate\",\"kind\":\"first\","
                + "\"event_type\":\"course_completed\",\"certificate_template\":\"diploma-svg\"}", 409);
        put(key, "/v1/admin/badges/graduate", "{\"name\":\"Java graduate\",\"kind\":\"first\",\"event_type\":"
                + "\"course_completed\",\"certificate_template\":\"diploma-svg\"}").expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> "image/svg+xml".equals(
                String.valueOf(fetch(link).getResponseHeaders().getContentType())));
        String svg = new String(fetch(link).getResponseBodyContent(), StandardCharsets.UTF_8);
        assertThat(svg).contains("Анна Иванова").contains("completed Java &amp; Kotlin (Java graduate)")
                .doesNotContain("{{");
        assertThat(fetch(link).getResponseHeaders().getFirst("Content-Security-Policy")).contains("default-src 'none'");

        // a display name wins over the event's user_name, and is text in both formats, never markup
        JsonNode profile = putJson(key, "/v1/users/4711/profile", "{\"display_name\":\"<script>alert(1)</script> & Co\"}", 200);
        assertThat(profile.get("display_name").asText()).isEqualTo("<script>alert(1)</script> & Co");
        await().atMost(Duration.ofSeconds(10)).until(() -> new String(fetch(link).getResponseBodyContent(),
                StandardCharsets.UTF_8).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
        String escaped = new String(fetch(link).getResponseBodyContent(), StandardCharsets.UTF_8);
        assertThat(escaped).doesNotContain("<script>");
        assertThat(io.laurel.events.certificate.CertificateTemplate.parseXml(escaped).getDocumentElement().getTagName())
                .isEqualTo("svg");
        put(key, "/v1/admin/badges/graduate", "{\"name\":\"Java graduate\",\"kind\":\"first\",\"event_type\":"
                + "\"course_completed\",\"certificate_template\":\"diploma\"}").expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).until(() -> fetch(link).getResponseHeaders().getContentType()
                .equals(MediaType.APPLICATION_PDF));
        assertThat(pdfText(fetch(link).getResponseBodyContent())).contains("<script>alert(1)</script> & Co");

        // an event that awards nothing answers 204; a POST with form fields (as GetCourse sends) works the same
        EntityExchangeResult<byte[]> nothing = hook("user_id=4711&course=Go&wait=badges&result=link&key=" + q(key));
        assertThat(nothing.getStatus().value()).isEqualTo(204);
        EntityExchangeResult<byte[]> posted = unpooledClient(port).post()
                .uri(URI.create("http://localhost:" + port + "/v1/hooks/course_completed?wait=badges&result=link&key="
                        + q(key)))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("user_id=4712&user_name=" + q("Bob") + "&course=Java").exchange().expectBody().returnResult();
        assertThat(posted.getStatus().value()).isEqualTo(200);
        String second = new String(posted.getResponseBodyContent(), StandardCharsets.UTF_8);
        assertThat(second).isNotEqualTo(link);
        assertThat(pdfText(fetch(second).getResponseBodyContent())).contains("Bob");
        // behind a gateway the link names the public origin
        EntityExchangeResult<byte[]> proxied = unpooledClient(port).get()
                .uri(URI.create("http://localhost:" + port + "/v1/hooks/course_completed?user_id=4713&course=Java"
                        + "&wait=badges&result=link&key=" + q(key)))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "learn.example.com")
                .exchange().expectBody().returnResult();
        assertThat(new String(proxied.getResponseBodyContent(), StandardCharsets.UTF_8))
                .startsWith("https://learn.example.com/v1/certificates/");

        // result without wait is event data as before; a result other than link with wait is refused
        assertThat(hook("user_id=4714&course=Java&wait=badges&result=file&key=" + q(key)).getStatus().value())
                .isEqualTo(400);
        // unknown award: 404 without a key; another tenant's key is not needed and not asked for
        EntityExchangeResult<byte[]> unknown = fetch("http://localhost:" + port + "/v1/certificates/"
                + java.util.UUID.randomUUID());
        assertThat(unknown.getStatus().value()).isEqualTo(404);
        assertThat(json(unknown.getResponseBodyContent()).get("code").asText()).isEqualTo("CERTIFICATE_NOT_FOUND");
        assertThat(fetch("http://localhost:" + port + "/v1/certificates/not-a-uuid").getStatus().value()).isEqualTo(404);
    }

    @Test
    void templatesAreCheckedWhenDefinedWithAPointer() {
        String key = tenantWithKey("templates", List.of("catalog:write", "catalog:read"));
        assertThat(errors(postJson(key, "/v1/admin/certificate-templates", templateBody("t1", "svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{{nope}}</text></svg>"), 422)))
                .containsExactly("/template");
        JsonNode unclosed = postJson(key, "/v1/admin/certificate-templates", templateBody("t2", "svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{{user_name</text></svg>"), 422);
        assertThat(unclosed.get("errors").get(0).get("message").asText()).contains("not closed");
        assertThat(errors(postJson(key, "/v1/admin/certificate-templates", templateBody("t3", "svg",
                "<svg><text>{{user_name}}</svg>"), 422))).containsExactly("/template");
        assertThat(postJson(key, "/v1/admin/certificate-templates", templateBody("t4", "svg",
                "<html>{{user_name}}</html>"), 422).get("errors").get(0).get("message").asText()).contains("not <svg>");
        assertThat(postJson(key, "/v1/admin/certificate-templates", templateBody("t5", "svg",
                "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg>&x;</svg>"), 422).get("code").asText())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(errors(postJson(key, "/v1/admin/certificate-templates", "{\"id\":\"t6\",\"format\":\"doc\"}", 422)))
                .containsExactly("/format", "/template");
        assertThat(errors(postJson(key, "/v1/admin/certificate-templates", "{\"id\":\"t7\",\"format\":\"svg\","
                + "\"template\":42}", 422))).containsExactly("/template");
        assertThat(errors(postJson(key, "/v1/admin/certificate-templates", "{\"format\":\"svg\",\"template\":"
                + "\"<svg/>\"}", 422))).containsExactly("/id");
        postJson(key, "/v1/admin/certificate-templates", "{\"id\":", 400);
        postJson(key, "/v1/admin/certificate-templates", templateBody("ok", "svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{{ user_name }} {{event.score}}</text></svg>"), 201);
        assertThat(postJson(key, "/v1/admin/certificate-templates", templateBody("ok", "svg", "<svg/>"), 409)
                .get("code").asText()).isEqualTo("CERTIFICATE_TEMPLATE_EXISTS");
        post(key, "/v1/admin/certificate-templates", templateBody("big", "svg", "<svg>" + "x".repeat(600_000) + "</svg>"))
                .expectStatus().isEqualTo(413);
        assertThat(getJson(key, "/v1/admin/certificate-templates", 200).get("certificate_templates")
                .findValuesAsText("id")).containsExactly("ok");
        // a badge names only a template the tenant has
        postJson(key, "/v1/admin/event-types", "{\"name\":\"done\"}", 201);
        assertThat(errors(postJson(key, "/v1/admin/badges", "{\"id\":\"b\",\"kind\":\"first\",\"event_type\":\"done\","
                + "\"certificate_template\":\"missing\"}", 422))).containsExactly("/certificate_template");
        // another tenant's template is not this tenant's
        String other = tenantWithKey("templates-other", List.of("catalog:write", "catalog:read"));
        getJson(other, "/v1/admin/certificate-templates/ok", 404);
    }

    @Test
    void displayNamesShowOnLeaderboardsAndPublicProfiles() {
        String key = tenantWithKey("names", List.of("events:write", "catalog:write", "catalog:read", "badges:write",
                "badges:read", "leaderboards:read"));
        postJson(key, "/v1/admin/event-types", "{\"name\":\"sale\"}", 201);
        postJson(key, "/v1/admin/rules", "{\"name\":\"sale\",\"event_type\":\"sale\",\"points\":10}", 201);
        postJson(key, "/v1/admin/leaderboards", "{\"id\":\"sellers\",\"name\":\"Sellers\",\"period\":\"all_time\"}", 201);
        postJson(key, "/v1/admin/badges", "{\"id\":\"seller\",\"kind\":\"first\",\"event_type\":\"sale\"}", 201);
        postJson(key, "/v1/events", "{\"event_type\":\"sale\",\"user_id\":\"u1\"}", 202);
        postJson(key, "/v1/events", "{\"event_type\":\"sale\",\"user_id\":\"u2\"}", 202);
        postJson(key, "/v1/events", "{\"event_type\":\"sale\",\"user_id\":\"u2\"}", 202);
        putJson(key, "/v1/users/u2/profile", "{\"display_name\":\"Zoë Example\"}", 200);
        // until all three sales are on the board (after the first two, u1 and u2 tie at 10)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode board = getJson(key, "/v1/leaderboards/sellers", 200).get("entries");
            return board.size() == 2 && board.get(0).get("score").asLong() == 20;
        });
        JsonNode entries = getJson(key, "/v1/leaderboards/sellers", 200).get("entries");
        assertThat(entries.get(0).get("user_id").asText()).isEqualTo("u2");
        assertThat(entries.get(1).get("score").asLong()).isEqualTo(10);
        assertThat(entries.get(0).get("display_name").asText()).isEqualTo("Zoë Example");
        assertThat(entries.get(1).has("display_name")).isFalse();
        assertThat(getJson(key, "/v1/users/u2/profile", 200).get("display_name").asText()).isEqualTo("Zoë Example");
        await().atMost(Duration.ofSeconds(30)).until(() -> getJson(key, "/v1/users/u2", 200).path("profile_uuid")
                .isTextual() && getJson(key, "/v1/users/u2/badges", 200).get("badges").size() == 1);
        JsonNode summary = getJson(key, "/v1/users/u2", 200);
        assertThat(summary.get("display_name").asText()).isEqualTo("Zoë Example");
        JsonNode pub = json(fetch("http://localhost:" + port + "/v1/profiles/" + summary.get("profile_uuid").asText())
                .getResponseBodyContent());
        assertThat(pub.get("display_name").asText()).isEqualTo("Zoë Example");
        // cleared: the id again
        putJson(key, "/v1/users/u2/profile", "{\"display_name\":null}", 200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !getJson(key, "/v1/leaderboards/sellers", 200).get("entries")
                .get(0).has("display_name"));
        // bad input: a clear error, nothing changed
        assertThat(errors(putJson(key, "/v1/users/u2/profile", "{\"display_name\":42}", 422))).containsExactly("/display_name");
        assertThat(errors(putJson(key, "/v1/users/u2/profile", "{\"display_name\":\"\"}", 422))).containsExactly("/display_name");
        putJson(key, "/v1/users/u2/profile", "{\"display_name\":", 400);
        String reader = keyFor("names", List.of("badges:read"));
        putJson(reader, "/v1/users/u2/profile", "{\"display_name\":\"x\"}", 403);
        // another tenant's user of the same id has no name from this tenant
        String other = tenantWithKey("names-other", List.of("badges:read"));
        assertThat(getJson(other, "/v1/users/u2/profile", 200).has("display_name")).isFalse();
    }

    private static List<String> errors(JsonNode problem) {
        return problem.get("errors").findValuesAsText("pointer");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec put(String key, String path, String json) {
        return unpooledClient(port).put().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    // ---- features (one Spring context for both: each context costs a platform start) ----

    private static final String T1 = "2026-06-01T08:00:00Z", T2 = "2026-06-01T09:00:00Z", T3 = "2026-06-01T10:00:00Z",
            T4 = "2026-06-01T11:00:00Z";

    private void lesson(String user, String at) {
        postJson(ADMIN_KEY, "/v1/events", "{\"event_type\":\"lesson\",\"user_id\":\"" + user + "\",\"occurred_at\":\""
                + at + "\"}", 202);
    }

    private Map<String, String> features(String user) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode f : getJson(ADMIN_KEY, "/v1/users/" + user + "/features", 200).get("features")) {
            out.put(f.get("feature_id").asText(), f.get("unlocked_at").asText());
        }
        return out;
    }

    private static List<JsonNode> unlocks(TestEnvironment env) {
        return topicRecords(env, env.topics().achievements().name()).stream()
                .filter(a -> a.path("kind").asText().equals("feature_unlocked")).toList();
    }

    @Test
    void eachUnlockKindUnlocksOnceAtTheInputThatCrossedItsLineAndARebuildKeepsThem() {
        TestEnvironment env = LaurelTestInfra.forClass(CertificatesIT.class);
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"lesson\"}", 201);
        postJson(ADMIN_KEY, "/v1/admin/rules", "{\"name\":\"lesson\",\"event_type\":\"lesson\",\"points\":10}", 201);
        postJson(ADMIN_KEY, "/v1/admin/levels", "{\"id\":\"ranks\",\"levels\":[{\"number\":1,\"name\":\"Bronze\","
                + "\"threshold\":20},{\"number\":2,\"name\":\"Silver\",\"threshold\":40}]}", 201);
        postJson(ADMIN_KEY, "/v1/admin/badges", "{\"id\":\"first-lesson\",\"kind\":\"first\",\"event_type\":\"lesson\"}",
                201);
        postJson(ADMIN_KEY, "/v1/admin/challenges", "{\"id\":\"starter\",\"name\":\"Starter\",\"steps\":[{\"kind\":"
                + "\"count\",\"event_type\":\"lesson\",\"threshold\":3}]}", 201);
        JsonNode p30 = postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"p30\",\"name\":\"Dark mode\",\"unlock\":"
                + "{\"kind\":\"points\",\"threshold\":30}}", 201);
        assertThat(p30.at("/unlock/currency").asText()).isEqualTo("points");
        assertThat(p30.get("version").asInt()).isEqualTo(1);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"badge\",\"name\":\"Avatar\",\"unlock\":{\"kind\":\"badge\","
                + "\"badge_id\":\"first-lesson\"}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"silver\",\"name\":\"Forum\",\"unlock\":{\"kind\":\"level\","
                + "\"level_set\":\"ranks\",\"level\":2}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"starter\",\"name\":\"Quests\",\"unlock\":{\"kind\":"
                + "\"challenge\",\"challenge_id\":\"starter\"}}", 201);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"vip\",\"name\":\"VIP lounge\",\"unlock\":{\"kind\":"
                + "\"manual\"}}", 201);
        assertThat(getJson(ADMIN_KEY, "/v1/admin/features", 200).get("features").findValuesAsText("id"))
                .containsExactly("badge", "p30", "silver", "starter", "vip");

        lesson("ann", T1);
        lesson("ann", T2);
        lesson("ann", T3);
        lesson("ann", T4);
        lesson("bob", T1);
        await().atMost(Duration.ofSeconds(60)).until(() -> features("ann").size() == 4 && features("bob").size() == 1);
        Map<String, String> ann = features("ann");
        assertThat(ann).containsExactlyInAnyOrderEntriesOf(Map.of("badge", T1, "p30", T3, "starter", T3, "silver", T4));
        assertThat(features("bob")).containsOnlyKeys("badge");
        JsonNode listed = getJson(ADMIN_KEY, "/v1/users/ann/features", 200).get("features");
        assertThat(listed.findValuesAsText("feature_id")).containsExactly("badge", "p30", "starter", "silver");
        assertThat(listed.get(0).get("name").asText()).isEqualTo("Avatar");

        // by hand: once
        JsonNode granted = postJson(ADMIN_KEY, "/v1/features/vip/grants", "{\"user_id\":\"ann\"}", 201);
        assertThat(granted.get("unlocked").asBoolean()).isTrue();
        assertThat(postJson(ADMIN_KEY, "/v1/features/vip/grants", "{\"user_id\":\"ann\"}", 200).get("unlocked")
                .asBoolean()).isFalse();
        assertThat(postJson(ADMIN_KEY, "/v1/features/p30/grants", "{\"user_id\":\"ann\"}", 409).get("code").asText())
                .isEqualTo("FEATURE_NOT_MANUAL");
        assertThat(postJson(ADMIN_KEY, "/v1/features/nope/grants", "{\"user_id\":\"ann\"}", 404).get("code").asText())
                .isEqualTo("FEATURE_NOT_FOUND");
        assertThat(postJson(ADMIN_KEY, "/v1/features/vip/grants", "{\"user_id\":7}", 422).get("errors")
                .findValuesAsText("pointer")).containsExactly("/user_id");
        postJson(ADMIN_KEY, "/v1/features/vip/grants", "{\"user_id\":", 400);
        assertThat(getJson(ADMIN_KEY, "/v1/users/ann", 200).get("features").findValuesAsText("feature_id"))
                .containsExactly("badge", "p30", "starter", "silver", "vip");

        // announced once each, as feature_unlocked (notifications and webhooks follow them)
        await().atMost(Duration.ofSeconds(30)).until(() -> unlocks(env).size() == 6);
        assertThat(unlocks(env)).extracting(a -> a.get("user_id").asText() + ":" + a.get("feature_id").asText())
                .containsExactlyInAnyOrder("ann:badge", "ann:p30", "ann:starter", "ann:silver", "ann:vip", "bob:badge");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode n = getJson(ADMIN_KEY, "/v1/notifications?user_id=ann", 200).get("notifications");
            List<String> kinds = new java.util.ArrayList<>();
            n.forEach(one -> kinds.add(one.get("kind").asText()));
            assertThat(kinds).as("%s", n).filteredOn("feature_unlocked"::equals).hasSize(5);
        });
        // webhooks may subscribe to them (the loopback target is refused here, the kind is not)
        assertThat(postJson(ADMIN_KEY, "/v1/admin/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\",\"kinds\":"
                + "[\"feature_unlocked\",\"no_such_kind\"]}", 422).get("errors").findValuesAsText("pointer"))
                .containsExactly("/kinds/1");

        // a rebuild: the same unlocks at the same times, nothing announced again
        Map<String, String> before = features("ann");
        String rebuild = postJson(ADMIN_KEY, "/v1/ops/projections/badges/rebuild", "{}", 202).get("id").asText();
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "completed".equals(getJson(ADMIN_KEY, "/v1/ops/rebuilds/" + rebuild, 200).get("status").asText()));
        assertThat(features("ann")).isEqualTo(before);
        assertThat(features("bob")).containsOnlyKeys("badge");
        lesson("cy", T1);
        await().atMost(Duration.ofSeconds(60)).until(() -> features("cy").size() == 1);
        assertThat(unlocks(env)).hasSize(7);
    }

    @Test
    void badFeatureDefinitionsAreRefusedWithAPointer() {
        postJson(ADMIN_KEY, "/v1/admin/event-types", "{\"name\":\"visit\"}", 201);
        assertThat(errors(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f1\",\"unlock\":{\"kind\":\"badge\","
                + "\"badge_id\":\"missing\"}}", 422))).containsExactly("/unlock/badge_id");
        assertThat(errors(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f2\",\"unlock\":{\"kind\":\"points\"}}",
                422))).containsExactly("/unlock/threshold");
        assertThat(errors(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f3\",\"unlock\":{\"kind\":\"karma\"}}",
                422))).containsExactly("/unlock/kind");
        assertThat(errors(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f4\"}", 422))).containsExactly("/unlock");
        assertThat(errors(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f5\",\"unlock\":{\"kind\":\"level\","
                + "\"level_set\":\"none\",\"level\":\"two\"}}", 422))).containsExactlyInAnyOrder("/unlock/level_set", "/unlock/level");
        assertThat(errors(postJson(ADMIN_KEY, "/v1/admin/features", "{\"unlock\":{\"kind\":\"manual\"}}", 422)))
                .containsExactly("/id");
        postJson(ADMIN_KEY, "/v1/admin/features", "[", 400);
        postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f6\",\"unlock\":{\"kind\":\"manual\"}}", 201);
        assertThat(postJson(ADMIN_KEY, "/v1/admin/features", "{\"id\":\"f6\",\"unlock\":{\"kind\":\"manual\"}}", 409)
                .get("code").asText()).isEqualTo("FEATURE_EXISTS");
        // another tenant sees none of them and cannot grant them
        String other = tenantWithKey("features-other", List.of("catalog:read", "badges:write", "badges:read"));
        getJson(other, "/v1/admin/features/f6", 404);
        postJson(other, "/v1/features/f6/grants", "{\"user_id\":\"ann\"}", 404);
        assertThat(getJson(other, "/v1/users/ann/features", 200).get("features")).isEmpty();
    }

}
