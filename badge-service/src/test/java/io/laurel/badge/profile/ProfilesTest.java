package io.laurel.badge.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProfilesTest {
    @Test
    void emailLikeIdsKeepTheirFirstCharacterAndDomain() {
        assertThat(Profiles.obscure("zoe@example.com")).isEqualTo("z***@example.com");
        assertThat(Profiles.obscure("a@b.c")).isEqualTo("a***@b.c");
        assertThat(Profiles.obscure("@example.com")).isEqualTo("***@example.com");
    }

    @Test
    void otherIdsAreShownAsTheyAre() {
        assertThat(Profiles.obscure("user-42")).isEqualTo("user-42");
        assertThat(Profiles.obscure("trailing@")).isEqualTo("trailing@");
    }
}
