package dev.gazette.fediverse.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * draft-cavage signatures as Mastodon sends and checks them. Every signature Gazette makes is checked here by the
 * test's own code (its own signing string and the JDK's {@link Signature}), and the verifier is given requests the
 * test signed itself.
 */
class CavageSignaturesTest {

    static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    static final String DATE = "Mon, 02 Mar 2026 09:00:00 GMT";
    static final URI INBOX = URI.create("https://mastodon.example/users/alice/inbox");
    static final byte[] BODY = "{\"type\":\"Follow\",\"actor\":\"https://mastodon.example/users/alice\"}"
            .getBytes(StandardCharsets.UTF_8);
    static final String KEY_ID = "https://news.example.org/ap/actor#main-key";
    static final Duration WINDOW = Duration.ofHours(1);

    static KeyPair keys;
    static KeyPair otherKeys;

    @BeforeAll
    static void generateKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        otherKeys = generator.generateKeyPair();
    }

    @Test
    void shouldSignWhatAnIndependentVerifierAccepts() throws Exception {
        HttpMessage request = HttpMessage.outgoing("POST", INBOX, BODY, NOW);
        String field = CavageSignatures.sign(request, CavageSignatures.COVERED, KEY_ID, keys.getPrivate());

        Matcher m = Pattern.compile("keyId=\"([^\"]+)\",algorithm=\"rsa-sha256\",headers=\"([^\"]+)\",signature=\"([^\"]+)\"")
                .matcher(field);
        assertTrue(m.matches(), field);
        assertEquals(KEY_ID, m.group(1));
        assertEquals("(request-target) host date digest", m.group(2));
        String digest = "SHA-256=" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(BODY));
        assertEquals(digest, request.header("Digest"));
        assertEquals(DATE, request.header("Date"));
        String expectedBase = "(request-target): post /users/alice/inbox\n"
                + "host: mastodon.example\n"
                + "date: " + DATE + "\n"
                + "digest: " + digest;
        assertTrue(jdkVerify(expectedBase, m.group(3)), "the JDK verifies the signature over the test's own base");
    }

    @Test
    void shouldAcceptARequestSignedByAnotherImplementation() throws Exception {
        HttpMessage request = signedByTest(BODY, "(request-target) host date digest", DATE, keys.getPrivate());
        assertEquals(new Verification.Verified(KEY_ID), CavageSignatures.verify(request, keys.getPublic(), NOW, WINDOW));
        // ten minutes of clock skew either way is fine
        assertTrue(CavageSignatures.verify(request, keys.getPublic(), NOW.plus(Duration.ofMinutes(10)), WINDOW).verified());
        assertTrue(CavageSignatures.verify(request, keys.getPublic(), NOW.minus(Duration.ofMinutes(10)), WINDOW).verified());
    }

    @Test
    void shouldAcceptItsOwnSignatureForASignedGet() {
        HttpMessage request = HttpMessage.outgoing("GET", URI.create("https://mastodon.example/users/alice"), null, NOW);
        request = request.withHeader("Signature", CavageSignatures.sign(request, CavageSignatures.COVERED_WITHOUT_BODY,
                KEY_ID, keys.getPrivate()));
        assertTrue(CavageSignatures.verify(request, keys.getPublic(), NOW, WINDOW).verified());
    }

    @Test
    void shouldRefuseTheWrongKey() throws Exception {
        HttpMessage request = signedByTest(BODY, "(request-target) host date digest", DATE, keys.getPrivate());
        assertRefused(CavageSignatures.verify(request, otherKeys.getPublic(), NOW, WINDOW), "does not match");
    }

    @Test
    void shouldRefuseAnAlteredBody() throws Exception {
        HttpMessage signed = signedByTest(BODY, "(request-target) host date digest", DATE, keys.getPrivate());
        HttpMessage altered = new HttpMessage("POST", INBOX, signed.headers(),
                "{\"type\":\"Delete\",\"actor\":\"https://mastodon.example/users/alice\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(CavageSignatures.verify(altered, keys.getPublic(), NOW, WINDOW), "Digest header does not match");
    }

    @Test
    void shouldRefuseAnAlteredHeader() throws Exception {
        HttpMessage signed = signedByTest(BODY, "(request-target) host date digest", DATE, keys.getPrivate());
        HttpMessage otherHost = signed.withHeader("Host", "evil.example");
        assertRefused(CavageSignatures.verify(otherHost, keys.getPublic(), NOW, WINDOW), "does not match");
        HttpMessage otherDate = signed.withHeader("Date", "Mon, 02 Mar 2026 09:00:01 GMT");
        assertRefused(CavageSignatures.verify(otherDate, keys.getPublic(), NOW, WINDOW), "does not match");
        HttpMessage otherPath = new HttpMessage("POST", URI.create("https://mastodon.example/inbox"), signed.headers(), BODY);
        assertRefused(CavageSignatures.verify(otherPath, keys.getPublic(), NOW, WINDOW), "does not match");
    }

    @Test
    void shouldRefuseADateOutsideTheWindow() throws Exception {
        HttpMessage request = signedByTest(BODY, "(request-target) host date digest", DATE, keys.getPrivate());
        assertRefused(CavageSignatures.verify(request, keys.getPublic(), NOW.plus(Duration.ofMinutes(61)), WINDOW),
                "outside the accepted window");
        assertRefused(CavageSignatures.verify(request, keys.getPublic(), NOW.minus(Duration.ofMinutes(61)), WINDOW),
                "outside the accepted window");
    }

    @Test
    void shouldRefuseASignatureThatLeavesOutARequiredHeader() throws Exception {
        HttpMessage noDigest = signedByTest(BODY, "(request-target) host date", DATE, keys.getPrivate());
        assertRefused(CavageSignatures.verify(noDigest, keys.getPublic(), NOW, WINDOW), "does not cover digest");
        HttpMessage noTarget = signedByTest(BODY, "host date digest", DATE, keys.getPrivate());
        assertRefused(CavageSignatures.verify(noTarget, keys.getPublic(), NOW, WINDOW), "does not cover (request-target)");
        HttpMessage noHost = signedByTest(BODY, "(request-target) date digest", DATE, keys.getPrivate());
        assertRefused(CavageSignatures.verify(noHost, keys.getPublic(), NOW, WINDOW), "does not cover host");
    }

    @Test
    void shouldRefuseAMissingOrMalformedSignature() {
        HttpMessage unsigned = HttpMessage.outgoing("POST", INBOX, BODY, NOW);
        assertRefused(CavageSignatures.verify(unsigned, keys.getPublic(), NOW, WINDOW), "no well-formed Signature");
        HttpMessage garbage = unsigned.withHeader("Signature", "keyId=\"x\",signature=\"not base64!\"");
        assertRefused(CavageSignatures.verify(garbage, keys.getPublic(), NOW, WINDOW), "no well-formed Signature");
    }

    /** A request signed by the test's own code, not the production signer. */
    static HttpMessage signedByTest(byte[] body, String headers, String date, PrivateKey key) throws Exception {
        String digest = "SHA-256=" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        StringBuilder base = new StringBuilder();
        for (String name : headers.split(" ")) {
            String value = switch (name) {
                case "(request-target)" -> "post /users/alice/inbox";
                case "host" -> "mastodon.example";
                case "date" -> date;
                case "digest" -> digest;
                default -> throw new IllegalArgumentException(name);
            };
            base.append(base.isEmpty() ? "" : "\n").append(name).append(": ").append(value);
        }
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(base.toString().getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(signer.sign());
        return new HttpMessage("POST", INBOX, java.util.Map.of(
                "Host", java.util.List.of("mastodon.example"),
                "Date", java.util.List.of(date),
                "Digest", java.util.List.of(digest),
                "Content-Type", java.util.List.of("application/activity+json"),
                "Signature", java.util.List.of("keyId=\"" + KEY_ID + "\",algorithm=\"rsa-sha256\",headers=\"" + headers
                        + "\",signature=\"" + signature + "\"")), body);
    }

    static boolean jdkVerify(String base, String signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(base.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(signature));
    }

    static void assertRefused(Verification result, String reason) {
        assertFalse(result.verified(), "refused");
        assertTrue(((Verification.Refused) result).reason().contains(reason), ((Verification.Refused) result).reason());
    }
}
