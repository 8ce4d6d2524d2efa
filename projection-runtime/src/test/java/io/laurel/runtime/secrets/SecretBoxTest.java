package io.laurel.runtime.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {
    private static final String KEY = SecretBox.newKey();

    @Test
    void aSealedSecretOpensWithItsKeyAndRow() {
        SecretBox box = new SecretBox(KEY, List.of());
        String sealed = box.seal("whsec_abc", "webhook/t1/h1");
        assertThat(sealed).startsWith("v1:" + box.currentKeyId() + ":").doesNotContain("whsec_abc");
        assertThat(box.open(sealed, "webhook/t1/h1")).isEqualTo("whsec_abc");
        assertThat(SecretBox.isSealed(sealed)).isTrue();
        assertThat(box.needsResealing(sealed)).isFalse();
    }

    @Test
    void sealingTwiceGivesDifferentCiphertexts() {
        SecretBox box = new SecretBox(KEY, List.of());
        assertThat(box.seal("s", "a")).isNotEqualTo(box.seal("s", "a"));
    }

    @Test
    void aSealedSecretMovedToAnotherRowDoesNotOpen() {
        SecretBox box = new SecretBox(KEY, List.of());
        String sealed = box.seal("whsec_abc", "webhook/t1/h1");
        assertThatThrownBy(() -> box.open(sealed, "webhook/t2/h1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not open");
    }

    @Test
    void anAlteredCiphertextDoesNotOpen() {
        SecretBox box = new SecretBox(KEY, List.of());
        String sealed = box.seal("whsec_abc", "r");
        String[] parts = sealed.split(":", 3);
        byte[] raw = Base64.getDecoder().decode(parts[2]);
        raw[raw.length - 1] ^= 1;
        String altered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> box.open(altered, "r")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRotationOpensWhatThePreviousKeySealedAndAsksToResealIt() {
        SecretBox old = new SecretBox(KEY, List.of());
        String sealed = old.seal("whsec_abc", "r");
        String next = SecretBox.newKey();
        SecretBox rotated = new SecretBox(next, List.of(KEY));
        assertThat(rotated.needsResealing(sealed)).isTrue();
        assertThat(rotated.open(sealed, "r")).isEqualTo("whsec_abc");
        String resealed = rotated.seal(rotated.open(sealed, "r"), "r");
        assertThat(rotated.needsResealing(resealed)).isFalse();
        // without the previous key the old value names the key it needs
        SecretBox forgot = new SecretBox(next, List.of());
        assertThatThrownBy(() -> forgot.open(sealed, "r")).hasMessageContaining(old.currentKeyId())
                .hasMessageContaining("LAUREL_SECRETS_PREVIOUS_KEYS");
    }

    @Test
    void aClearValueNeedsSealing() {
        SecretBox box = new SecretBox(KEY, List.of());
        assertThat(SecretBox.isSealed("whsec_0123")).isFalse();
        assertThat(box.needsResealing("whsec_0123")).isTrue();
        assertThatThrownBy(() -> box.open("whsec_0123", "r")).hasMessageContaining("not a sealed secret");
    }

    @Test
    void keysMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> new SecretBox("not base64!", List.of())).hasMessageContaining("not base64");
        assertThatThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(new byte[16]), List.of()))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretBox(KEY, List.of("short"))).hasMessageContaining("previous");
    }

    @Test
    void aKeyFileIsCreatedOnceOwnerOnlyAndReadAfter(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data").resolve("secrets-key");
        String first = SecretKeyFile.readOrCreate(file);
        assertThat(Base64.getDecoder().decode(first)).hasSize(32);
        assertThat(SecretKeyFile.readOrCreate(file)).isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void ofTwoProcessesCreatingTheFileAtOnceTheFirstWinsAndTheOtherTakesItsValue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("admin-key");
        // the other process writes the file between this one's look and its own write
        SecretKeyFile.Secret secret = SecretKeyFile.readOrCreate(file, () -> {
            try {
                Files.writeString(file, "theirs\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return "mine";
        });
        assertThat(secret).isEqualTo(new SecretKeyFile.Secret("theirs", false));
        assertThat(Files.readString(file)).isEqualTo("theirs\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left
        }

        Path fresh = dir.resolve("fresh-key");
        assertThat(SecretKeyFile.readOrCreate(fresh, () -> "mine")).isEqualTo(new SecretKeyFile.Secret("mine", true));
        assertThat(SecretKeyFile.readOrCreate(fresh, () -> "again")).isEqualTo(new SecretKeyFile.Secret("mine", false));
    }
}
