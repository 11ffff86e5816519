package dev.gazette.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

/**
 * Signed, expiring tokens for links in mail and pages (confirm, preferences, unsubscribe). A token names its purpose,
 * a subject id, a nonce and an expiry, and carries a truncated HMAC-SHA256 under a key derived from the token-signing
 * key: it cannot be forged or moved from one purpose to another.
 */
@Singleton
public class SignedTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int SIGNATURE_BYTES = 16;
    private static final int MAX_LENGTH = 200;

    private final byte[] key;
    private final Clock clock;
    private final Map<String, byte[]> domainKeys = new ConcurrentHashMap<>();

    SignedTokens(Secrets secrets, Clock clock) {
        this.key = hmac(secrets.tokenSigningKey(), "gazette link tokens v1".getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /** What checking a token found. */
    public sealed interface Check {
    }

    /** A valid token. */
    public record Valid(long subject, long nonce) implements Check {
    }

    /** A genuine token whose time is up. */
    public record Expired(long subject) implements Check {
    }

    /** Not a token of this purpose: malformed, forged or tampered with. */
    public record Invalid() implements Check {
    }

    public String sign(String purpose, long subject, long nonce, Instant expires) {
        return sign(purpose, subject, nonce, expires, null);
    }

    /**
     * A token that is valid only together with {@code bound}, a value the token does not carry (the check is given it
     * again): a confirmation can bind what was shown, such as a subject line, without putting it in the token.
     */
    public String sign(String purpose, long subject, long nonce, Instant expires, String bound) {
        byte[] payload = (purpose + "." + subject + "." + nonce + "." + expires.getEpochSecond()).getBytes(StandardCharsets.US_ASCII);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(signature(payload, bound));
    }

    public Check check(String token, String purpose) {
        return check(token, purpose, null);
    }

    /** Checks a token signed with {@code bound}: a different bound value makes it {@link Invalid}. */
    public Check check(String token, String purpose, String bound) {
        if (token == null || token.length() > MAX_LENGTH) {
            return new Invalid();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return new Invalid();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Invalid();
        }
        if (!MessageDigest.isEqual(signature, signature(payload, bound))) {
            return new Invalid();
        }
        String[] parts = new String(payload, StandardCharsets.US_ASCII).split("\\.");
        if (parts.length != 4 || !parts[0].equals(purpose)) {
            return new Invalid();
        }
        try {
            long subject = Long.parseLong(parts[1]);
            long nonce = Long.parseLong(parts[2]);
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[3]));
            return clock.instant().isAfter(expires) ? new Expired(subject) : new Valid(subject, nonce);
        } catch (NumberFormatException e) {
            return new Invalid();
        }
    }

    /** A keyed hash for lookups that must not reveal what was hashed (suppressed addresses, visitors). */
    public String keyedHash(String domain, String value) {
        return hasher(domain).hash(value);
    }

    /** A reusable hasher for one domain, for hashing many values on one thread (imports). Not thread-safe. */
    public Hasher hasher(String domain) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(domainKeys.computeIfAbsent(domain,
                    d -> hmac(key, d.getBytes(StandardCharsets.UTF_8))), "HmacSHA256"));
            return new Hasher(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HMAC-SHA256 under one domain's key, as lower-case hex. */
    public static final class Hasher {
        private final Mac mac;

        Hasher(Mac mac) {
            this.mac = mac;
        }

        public String hash(String value) {
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private byte[] signature(byte[] payload, String bound) {
        if (bound == null) {
            return Arrays.copyOf(hmac(key, payload), SIGNATURE_BYTES);
        }
        // The payload is ASCII without NUL, so payload NUL bound cannot be read another way.
        byte[] extra = bound.getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOf(payload, payload.length + 1 + extra.length);
        System.arraycopy(extra, 0, data, payload.length + 1, extra.length);
        return Arrays.copyOf(hmac(key, data), SIGNATURE_BYTES);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
