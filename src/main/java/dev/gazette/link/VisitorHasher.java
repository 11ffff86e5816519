package dev.gazette.link;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import dev.gazette.common.Secrets;

/**
 * Turns a visitor's IP address and User-Agent into an opaque hash, so clicks can be de-duplicated without storing
 * the address. HMAC-SHA256 with a key derived for each UTC day from the token-signing key: without the key the hash
 * cannot be reversed by trying all IPv4 addresses, and the same visitor gets unrelated hashes on different days.
 */
@Singleton
public class VisitorHasher {

    /** Bytes kept of the HMAC: 128 bits make a collision between two visitors of one link practically impossible. */
    static final int HASH_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private record DayKey(long epochDay, SecretKeySpec key) {
    }

    private final byte[] masterKey;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(VisitorHasher::newMac);
    private volatile DayKey dayKey;

    VisitorHasher(Secrets secrets) {
        this.masterKey = secrets.tokenSigningKey();
    }

    public byte[] hash(String ip, String userAgent, Instant at) {
        Mac mac = macs.get();
        try {
            mac.init(keyFor(at));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        mac.update((ip == null ? "" : ip).getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        String ua = userAgent == null ? "" : userAgent;
        mac.update((ua.length() > BotFilter.MAX_LENGTH ? ua.substring(0, BotFilter.MAX_LENGTH) : ua)
                .getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(mac.doFinal(), HASH_BYTES);
    }

    private SecretKeySpec keyFor(Instant at) {
        long epochDay = LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay();
        DayKey current = dayKey;
        if (current == null || current.epochDay() != epochDay) {
            Mac mac = newMac();
            try {
                mac.init(new SecretKeySpec(masterKey, ALGORITHM));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            byte[] derived = mac.doFinal(("gazette.links.visitor/" + LocalDate.ofEpochDay(epochDay))
                    .getBytes(StandardCharsets.UTF_8));
            current = new DayKey(epochDay, new SecretKeySpec(derived, ALGORITHM));
            dayKey = current;
        }
        return current.key();
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
