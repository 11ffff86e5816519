package dev.gazette.social;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.gazette.common.Secrets;

/**
 * Seals channel credentials with AES-GCM under {@code gazette.secrets.credential-key}. A sealed value is
 * {@code version (1) | key id (4) | nonce (12) | ciphertext and tag}; the key id (the first bytes of the key's
 * SHA-256) says which key sealed it, so values sealed under a key listed in
 * {@code gazette.secrets.previous-credential-keys} can still be read during a rotation. The purpose ("credentials",
 * "session") is authenticated data: a sealed session cannot pass for credentials.
 */
@Singleton
public class CredentialCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Key current;
    private final List<Key> readable;
    private final SecureRandom random = new SecureRandom();

    private record Key(byte[] id, SecretKeySpec spec) {
    }

    @Inject
    CredentialCipher(Secrets secrets) {
        this(secrets.credentialKey(), secrets.previousCredentialKeys());
    }

    public CredentialCipher(byte[] key, List<byte[]> previous) {
        this.current = key(key);
        List<Key> all = new ArrayList<>();
        all.add(current);
        previous.forEach(k -> all.add(key(k)));
        this.readable = List.copyOf(all);
    }

    private static Key key(byte[] raw) {
        try {
            byte[] id = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(raw), 4);
            return new Key(id, new SecretKeySpec(raw, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] seal(String plaintext, String purpose) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + 4 + NONCE_BYTES + sealed.length).put(VERSION).put(current.id()).put(nonce)
                    .put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String open(byte[] value, String purpose) {
        if (value == null || value.length < 1 + 4 + NONCE_BYTES + TAG_BITS / 8 || value[0] != VERSION) {
            throw new IllegalStateException("Not a sealed credential value");
        }
        byte[] id = Arrays.copyOfRange(value, 1, 5);
        Key key = readable.stream().filter(k -> Arrays.equals(k.id(), id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("The credentials were sealed with a key that is not configured;"
                        + " add it to gazette.secrets.previous-credential-keys"));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, value, 5, NONCE_BYTES));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(value, 5 + NONCE_BYTES, value.length - 5 - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The sealed credentials do not open with the configured key (tampered or wrong key)");
        }
    }

    /** Whether a value was sealed under an earlier key and should be sealed again. */
    public boolean needsResealing(byte[] value) {
        return value != null && value.length > 5 && !Arrays.equals(Arrays.copyOfRange(value, 1, 5), current.id());
    }
}
