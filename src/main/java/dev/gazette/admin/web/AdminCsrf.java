package dev.gazette.admin.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import dev.gazette.admin.security.SessionIdentityProvider;
import dev.gazette.common.Secrets;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * CSRF tokens of the editor UI: an HMAC of the session (the hash of its cookie) under a key derived from the
 * token-signing key, so each session has its own token and a token stops working when its session ends. Every form
 * carries it in the {@value #FIELD} field (htmx requests in the {@value #HEADER} header), and
 * {@link AdminCsrfFilter} refuses any state-changing request under {@code /admin} without the right one. The session
 * cookie is also {@code SameSite=Strict}.
 */
@Singleton
public class AdminCsrf {

    public static final String FIELD = "csrf-token";
    public static final String HEADER = "X-CSRF-Token";

    private final SecretKeySpec key;

    AdminCsrf(Secrets secrets) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(secrets.tokenSigningKey(), "HmacSHA256"),
                "gazette admin csrf v2"), "HmacSHA256");
    }

    /** The token of the identity's session; empty (valid for nothing) without a session. */
    public String token(SecurityIdentity identity) {
        String session = identity.getAttribute(SessionIdentityProvider.SESSION_HASH);
        return session == null ? "" : Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, "session " + session));
    }

    public boolean valid(SecurityIdentity identity, String token) {
        String expected = token(identity);
        return token != null && !expected.isEmpty() && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
