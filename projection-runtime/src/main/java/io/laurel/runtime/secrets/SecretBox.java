package io.laurel.runtime.secrets;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encrypts secrets kept at rest (webhook signing secrets) with AES-256-GCM. A sealed value reads
 * {@code v1:<key id>:<base64 of 12-byte nonce, ciphertext and tag>}; the key id (the first 8 hex digits of the
 * key's SHA-256) says which key sealed it, so values sealed under a previous key still open during a rotation and
 * are sealed again under the current one. The associated data (the row a secret belongs to, e.g. tenant and
 * webhook id) is bound to the ciphertext: a sealed value copied to another row does not open.
 */
public final class SecretBox {
    static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    /**
     * @param current  the key that seals: 32 bytes, base64
     * @param previous keys that only open (a rotation in progress), base64 each
     */
    public SecretBox(String current, List<String> previous) {
        byte[] raw = decodeKey(current, "the current secrets key");
        currentId = keyId(raw);
        keys.put(currentId, new SecretKeySpec(raw, "AES"));
        for (String p : previous == null ? List.<String>of() : previous) {
            if (p != null && !p.isBlank()) {
                byte[] old = decodeKey(p.trim(), "a previous secrets key");
                keys.putIfAbsent(keyId(old), new SecretKeySpec(old, "AES"));
            }
        }
    }

    /** A new random key, base64 (what {@code LAUREL_SECRETS_KEY} holds). */
    public static String newKey() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    public static boolean isSealed(String value) {
        return value != null && value.startsWith(VERSION + ":") && value.split(":", -1).length == 3;
    }

    /** True when {@code sealed} was sealed under another key than the current one (to be sealed again). */
    public boolean needsResealing(String sealed) {
        return !isSealed(sealed) || !sealed.split(":", 3)[1].equals(currentId);
    }

    public String seal(String plain, String associated) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + ":" + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The secret {@code sealed} holds.
     *
     * @throws IllegalStateException when no configured key sealed it, or it was altered or moved to another row
     */
    public String open(String sealed, String associated) {
        if (!isSealed(sealed)) {
            throw new IllegalStateException("not a sealed secret");
        }
        String[] parts = sealed.split(":", 3);
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("sealed under key " + parts[1] + ", which is neither LAUREL_SECRETS_KEY nor"
                    + " one of LAUREL_SECRETS_PREVIOUS_KEYS (configured: " + new ArrayList<>(keys.keySet()) + ")");
        }
        byte[] in = Base64.getDecoder().decode(parts[2]);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("a sealed secret does not open: altered, or not this row's", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String currentKeyId() {
        return currentId;
    }

    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decodeKey(String base64, String what) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64: generate one with 'openssl rand -base64 32'");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(what + " must be 32 bytes (base64 of 'openssl rand -base64 32'), not "
                    + raw.length);
        }
        return raw;
    }
}
