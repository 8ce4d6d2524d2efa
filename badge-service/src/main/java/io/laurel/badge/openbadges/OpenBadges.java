package io.laurel.badge.openbadges;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Open Badges 2.0 documents Laurel hosts (JSON-LD, https://www.imsglobal.org/spec/ob/v2p0/): their names are the
 * specification's (camelCase, {@code @context}), pinned here, not Laurel's snake_case.
 */
final class OpenBadges {
    private OpenBadges() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Assertion(@JsonProperty("@context") String context, @JsonProperty("type") String type,
                     @JsonProperty("id") String id, @JsonProperty("recipient") Recipient recipient,
                     @JsonProperty("badge") String badge, @JsonProperty("verification") Verification verification,
                     @JsonProperty("issuedOn") String issuedOn, @JsonProperty("expires") String expires) {
    }

    record Recipient(@JsonProperty("type") String type, @JsonProperty("hashed") boolean hashed,
                     @JsonProperty("salt") String salt, @JsonProperty("identity") String identity) {
    }

    record Verification(@JsonProperty("type") String type) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BadgeClass(@JsonProperty("@context") String context, @JsonProperty("type") String type,
                      @JsonProperty("id") String id, @JsonProperty("name") String name,
                      @JsonProperty("description") String description, @JsonProperty("image") String image,
                      @JsonProperty("criteria") Criteria criteria, @JsonProperty("issuer") String issuer) {
    }

    record Criteria(@JsonProperty("narrative") String narrative) {
    }

    record Issuer(@JsonProperty("@context") String context, @JsonProperty("type") String type,
                  @JsonProperty("id") String id, @JsonProperty("name") String name, @JsonProperty("url") String url) {
    }
}
