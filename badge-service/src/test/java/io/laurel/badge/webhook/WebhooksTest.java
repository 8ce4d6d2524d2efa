package io.laurel.badge.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhooksTest {

    @Test
    void theSignatureIsHmacSha256OfTimestampDotBody() {
        // the same value as Python's hmac.new(b"whsec_test", b'1700000000.{"award_id":"a1"}', hashlib.sha256)
        assertThat(Webhooks.sign("whsec_test", 1_700_000_000L, "{\"award_id\":\"a1\"}"))
                .isEqualTo("30ee3fe969c9072b29e318317866d6f15b565bd9fa704098fa52ff6dab9c1c3b");
        assertThat(Webhooks.sign("whsec_test", 1_700_000_001L, "{\"award_id\":\"a1\"}"))
                .isNotEqualTo(Webhooks.sign("whsec_test", 1_700_000_000L, "{\"award_id\":\"a1\"}"));
        assertThat(Webhooks.sign("whsec_other", 1_700_000_000L, "{\"award_id\":\"a1\"}"))
                .isNotEqualTo(Webhooks.sign("whsec_test", 1_700_000_000L, "{\"award_id\":\"a1\"}"));
    }

    @Test
    void placeholdersAreFilledAndEncoded() throws Exception {
        JsonNode a = LaurelJson.mapper().readTree("{\"user_id\":\"ann@example.com\",\"badge_id\":\"star\",\"count\":2,"
                + "\"badge_name\":\"Gold & Glory\"}");
        assertThat(Webhooks.render("https://x.test/cert?u={user_id}&b={badge_id}&n={count}&t={badge_name}", a))
                .isEqualTo("https://x.test/cert?u=ann%40example.com&b=star&n=2&t=Gold+%26+Glory");
        assertThat(Webhooks.render("https://x.test/{level}/plain", a)).isEqualTo("https://x.test//plain");
        assertThat(Webhooks.render("https://x.test/none", a)).isEqualTo("https://x.test/none");
        assertThat(Webhooks.render("https://x.test/{user_id}$1", a)).isEqualTo("https://x.test/ann%40example.com$1");
    }
}
