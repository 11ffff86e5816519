package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    static final String SECRET = "gazette-test-secret-0123456789";
    static final long T = 1795860000L; // 2026-11-28T10:00:00Z
    static final Instant AT_T = Instant.ofEpochSecond(T);
    static final String BODY = "{\"event\":\"article.published\",\"id\":\"dist-42\"}";

    /**
     * Computed independently of Java:
     * <pre>
     * printf '%s' '1795860000.{"event":"article.published","id":"dist-42"}' \
     *   | openssl dgst -sha256 -hmac 'gazette-test-secret-0123456789'
     * </pre>
     */
    static final String EXPECTED = "8a20c756e2801cc77a0b8d1b7193e80c0ef4a8db13c46399df05bbdad5739aba";

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        assertEquals(EXPECTED, WebhookSignature.sign(SECRET, T, BODY));
        assertEquals("t=1795860000,v1=" + EXPECTED, WebhookSignature.header(SECRET, T, BODY));
    }

    @Test
    void acceptsItsOwnSignatureWithinFiveMinutesEitherWay() {
        String header = WebhookSignature.header(SECRET, T, BODY);
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, AT_T));
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, AT_T.plusSeconds(300)));
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, AT_T.minusSeconds(300)));
    }

    @Test
    void refusesOldOrFutureTimestamps() {
        String header = WebhookSignature.header(SECRET, T, BODY);
        assertFalse(WebhookSignature.verify(SECRET, header, BODY, AT_T.plusSeconds(301)), "a replay");
        assertFalse(WebhookSignature.verify(SECRET, header, BODY, AT_T.minusSeconds(301)), "from the future");
    }

    @Test
    void refusesAChangedBodyTimestampOrSecret() {
        String header = WebhookSignature.header(SECRET, T, BODY);
        assertFalse(WebhookSignature.verify(SECRET, header, BODY.replace("42", "43"), AT_T));
        assertFalse(WebhookSignature.verify("another-secret-0123456789", header, BODY, AT_T));
        assertFalse(WebhookSignature.verify(SECRET, "t=1795860001,v1=" + EXPECTED, BODY, AT_T),
                "the timestamp is signed too");
    }

    @Test
    void acceptsAnyOfSeveralSignaturesAndUpperCaseHex() {
        String header = "t=" + T + ",v1=" + "0".repeat(64) + ", v1=" + EXPECTED.toUpperCase();
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, AT_T), "rotation: one of the secrets matches");
    }

    @Test
    void refusesMalformedHeaders() {
        assertFalse(WebhookSignature.verify(SECRET, "v1=" + EXPECTED, BODY, AT_T), "no timestamp");
        assertFalse(WebhookSignature.verify(SECRET, "t=" + T, BODY, AT_T), "no signature");
        assertFalse(WebhookSignature.verify(SECRET, "t=soon,v1=" + EXPECTED, BODY, AT_T));
        assertFalse(WebhookSignature.verify(SECRET, "t=" + T + ",t=" + T + ",v1=" + EXPECTED, BODY, AT_T));
        assertFalse(WebhookSignature.verify(SECRET, "t=" + Long.MIN_VALUE + ",v1=" + EXPECTED, BODY, AT_T));
        assertFalse(WebhookSignature.verify(SECRET, null, BODY, AT_T));
        assertFalse(WebhookSignature.verify(SECRET, "", BODY, AT_T));
    }
}
