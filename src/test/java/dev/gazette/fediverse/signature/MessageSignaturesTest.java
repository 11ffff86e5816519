package dev.gazette.fediverse.signature;

import static dev.gazette.fediverse.signature.CavageSignaturesTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 9421 message signatures with rsa-v1_5-sha256. The signature base is checked against the RFC's own examples
 * (section 2.5's base, section 4.3's rsa-v1_5-sha256 signature with the RFC's test key, Appendix B.1.1), Gazette's
 * signatures are checked by the test's own base and the JDK's {@link Signature}, and the refusals one by one.
 */
class MessageSignaturesTest {

    static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    static final URI INBOX = URI.create("https://mastodon.example/inbox");
    static final byte[] BODY = "{\"type\":\"Create\",\"actor\":\"https://news.example.org/ap/actor\"}"
            .getBytes(StandardCharsets.UTF_8);
    static final String KEY_ID = "https://news.example.org/ap/actor#main-key";
    static final Duration WINDOW = Duration.ofHours(1);

    /** RFC 9421 Appendix B.1.1, test-key-rsa, PKCS#1 RSAPublicKey. */
    static final String RFC_RSA_PUBLIC = "MIIBCgKCAQEAhAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsPBRrw"
            + "WEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsdJKFq"
            + "MGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd/QBwVW9OwNFhekro3RtlinV0a75jfZg"
            + "kne/YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKIlE0P"
            + "uKxI4T+HIaFpv8+rdV6eUgOrB2xeI1dSFFn/nnv5OoZJEIB+VmuKn3DCUcCZSFlQ"
            + "PSXSfBDiUGhwOw76WuSSsf1D4b/vLoJ10wIDAQAB";
    /** The body of the RFC's example requests, and its SHA-512 as in their Content-Digest. */
    static final byte[] RFC_BODY = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);
    static final String RFC_DIGEST = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";

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
    void shouldBuildTheSignatureBaseOfRfc9421Section2_5() {
        HttpMessage request = new HttpMessage("POST", URI.create("https://example.com/foo?param=Value&Pet=dog"), Map.of(
                "Host", List.of("example.com"), "Date", List.of("Tue, 20 Apr 2021 02:07:55 GMT"),
                "Content-Type", List.of("application/json"), "Content-Digest", List.of(RFC_DIGEST),
                "Content-Length", List.of("18")), RFC_BODY);
        String base = MessageSignatures.base(request,
                List.of("@method", "@authority", "@path", "content-digest", "content-length", "content-type"),
                "(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" \"content-type\")"
                        + ";created=1618884473;keyid=\"test-key-rsa-pss\"");
        assertEquals("\"@method\": POST\n"
                + "\"@authority\": example.com\n"
                + "\"@path\": /foo\n"
                + "\"content-digest\": " + RFC_DIGEST + "\n"
                + "\"content-length\": 18\n"
                + "\"content-type\": application/json\n"
                + "\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" "
                + "\"content-type\");created=1618884473;keyid=\"test-key-rsa-pss\"", base);
        assertTrue(Digests.contentDigestMatches(RFC_DIGEST, RFC_BODY), "the RFC's Content-Digest matches its body");
    }

    @Test
    void shouldVerifyTheRsaV15SignatureOfRfc9421Section4_3() throws Exception {
        // the request as the origin server receives it from the proxy that signed it
        String params = "(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-type\" \"content-length\" "
                + "\"forwarded\");created=1618884480;keyid=\"test-key-rsa\";alg=\"rsa-v1_5-sha256\";expires=1618884540";
        String signature = "S6ZzPXSdAMOPjN/6KXfXWNO/f7V6cHm7BXYUh3YD/fRad4BCaRZxP+JH+8XY1I6+8Cy+CM5g92iHgxtRPz+Mjni"
                + "OaYmdkDcnL9cCpXJleXsOckpURl49GwiyUpZ10KHgOEe11sx3G2gxI8S0jnxQB+Pu68U9vVcasqOWAEObtNKKZd8tSFu7LB5YAv0R"
                + "AGhB8tmpv7sFnIm9y+7X5kXQfi8NMaZaA8i2ZHwpBdg7a6CMfwnnrtflzvZdXAsD3LH2TwevU+/PBPv0B6NMNk93wUs/vfJvye+YuI"
                + "87HU38lZHowtznbLVdp770I6VHR6WfgS9ddzirrswsE1w5o0LV/g==";
        HttpMessage request = new HttpMessage("POST", URI.create("https://origin.host.internal.example/foo"), Map.of(
                "Host", List.of("origin.host.internal.example"),
                "Content-Type", List.of("application/json"), "Content-Length", List.of("18"),
                "Content-Digest", List.of(RFC_DIGEST),
                "Forwarded", List.of("for=192.0.2.123;host=example.com;proto=https"),
                "Signature-Input", List.of("proxy_sig=" + params),
                "Signature", List.of("proxy_sig=:" + signature + ":")), RFC_BODY);
        PublicKey rfcKey = fromPkcs1(RFC_RSA_PUBLIC);
        Instant then = Instant.ofEpochSecond(1618884500);

        assertEquals(new Verification.Verified("test-key-rsa"),
                MessageSignatures.verify(request, "proxy_sig", rfcKey, then, WINDOW));
        assertRefused(MessageSignatures.verify(request, null, rfcKey, Instant.ofEpochSecond(1618884541), WINDOW), "expired");
        assertRefused(MessageSignatures.verify(request.withHeader("Forwarded", "for=192.0.2.124;host=example.com;proto=https"),
                null, rfcKey, then, WINDOW), "does not match");
    }

    @Test
    void shouldSignWhatAnIndependentVerifierAccepts() throws Exception {
        HttpMessage request = HttpMessage.outgoing("POST", INBOX, BODY, NOW);
        MessageSignatures.Signed signed = MessageSignatures.sign(request, MessageSignatures.COVERED, "sig1", KEY_ID,
                keys.getPrivate(), NOW);

        String params = "(\"@method\" \"@target-uri\" \"content-digest\");created=" + NOW.getEpochSecond()
                + ";keyid=\"" + KEY_ID + "\";alg=\"rsa-v1_5-sha256\"";
        assertEquals("sig1=" + params, signed.signatureInput());
        Matcher m = Pattern.compile("sig1=:([A-Za-z0-9+/=]+):").matcher(signed.signature());
        assertTrue(m.matches(), signed.signature());
        String contentDigest = "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(BODY)) + ":";
        assertEquals(contentDigest, request.header("Content-Digest"));
        String expectedBase = "\"@method\": POST\n"
                + "\"@target-uri\": https://mastodon.example/inbox\n"
                + "\"content-digest\": " + contentDigest + "\n"
                + "\"@signature-params\": " + params;
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(expectedBase.getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Base64.getDecoder().decode(m.group(1))), "the JDK verifies it over the test's own base");
    }

    @Test
    void shouldAcceptARequestSignedByAnotherImplementation() throws Exception {
        HttpMessage request = signedByTest(BODY, List.of("@method", "@target-uri", "content-digest"), NOW, keys.getPrivate());
        assertEquals(new Verification.Verified(KEY_ID), MessageSignatures.verify(request, null, keys.getPublic(), NOW, WINDOW));
        HttpMessage authorityAndPath = signedByTest(BODY, List.of("@method", "@authority", "@path", "content-digest"), NOW,
                keys.getPrivate());
        assertTrue(MessageSignatures.verify(authorityAndPath, "sig1", keys.getPublic(), NOW, WINDOW).verified());
    }

    @Test
    void shouldRefuseTheWrongKey() throws Exception {
        HttpMessage request = signedByTest(BODY, MessageSignatures.COVERED, NOW, keys.getPrivate());
        assertRefused(MessageSignatures.verify(request, null, otherKeys.getPublic(), NOW, WINDOW), "does not match");
    }

    @Test
    void shouldRefuseAnAlteredBody() throws Exception {
        HttpMessage signed = signedByTest(BODY, MessageSignatures.COVERED, NOW, keys.getPrivate());
        HttpMessage altered = new HttpMessage("POST", INBOX, signed.headers(), "{}".getBytes(StandardCharsets.UTF_8));
        assertRefused(MessageSignatures.verify(altered, null, keys.getPublic(), NOW, WINDOW), "Content-Digest header does not match");
    }

    @Test
    void shouldRefuseAnAlteredTargetOrDigestHeader() throws Exception {
        HttpMessage signed = signedByTest(BODY, MessageSignatures.COVERED, NOW, keys.getPrivate());
        HttpMessage elsewhere = new HttpMessage("POST", URI.create("https://mastodon.example/users/bob/inbox"),
                signed.headers(), BODY);
        assertRefused(MessageSignatures.verify(elsewhere, null, keys.getPublic(), NOW, WINDOW), "does not match");
        // a second, matching digest added to the field changes the covered value
        String sha512 = "sha-512=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(BODY)) + ":";
        HttpMessage moreDigests = signed.withHeader("Content-Digest", signed.header("Content-Digest") + ", " + sha512);
        assertRefused(MessageSignatures.verify(moreDigests, null, keys.getPublic(), NOW, WINDOW), "does not match");
    }

    @Test
    void shouldRefuseACreatedTimeOutsideTheWindow() throws Exception {
        HttpMessage old = signedByTest(BODY, MessageSignatures.COVERED, NOW.minus(Duration.ofMinutes(61)), keys.getPrivate());
        assertRefused(MessageSignatures.verify(old, null, keys.getPublic(), NOW, WINDOW), "outside the accepted window");
        HttpMessage future = signedByTest(BODY, MessageSignatures.COVERED, NOW.plus(Duration.ofMinutes(61)), keys.getPrivate());
        assertRefused(MessageSignatures.verify(future, null, keys.getPublic(), NOW, WINDOW), "outside the accepted window");
    }

    @Test
    void shouldRefuseASignatureThatLeavesOutARequiredComponent() throws Exception {
        assertRefused(MessageSignatures.verify(signedByTest(BODY, List.of("@method", "@target-uri"), NOW, keys.getPrivate()),
                null, keys.getPublic(), NOW, WINDOW), "does not cover content-digest");
        assertRefused(MessageSignatures.verify(signedByTest(BODY, List.of("@target-uri", "content-digest"), NOW,
                keys.getPrivate()), null, keys.getPublic(), NOW, WINDOW), "does not cover @method");
        assertRefused(MessageSignatures.verify(signedByTest(BODY, List.of("@method", "@authority", "content-digest"), NOW,
                keys.getPrivate()), null, keys.getPublic(), NOW, WINDOW), "does not cover @target-uri");
    }

    @Test
    void shouldRefuseMissingOrMalformedFields() {
        HttpMessage unsigned = HttpMessage.outgoing("POST", INBOX, BODY, NOW);
        assertRefused(MessageSignatures.verify(unsigned, null, keys.getPublic(), NOW, WINDOW), "no well-formed");
        HttpMessage broken = unsigned.withHeader("Signature-Input", "sig1=(\"@method\";created=1").withHeader("Signature", "sig1=:AA==:");
        assertRefused(MessageSignatures.verify(broken, null, keys.getPublic(), NOW, WINDOW), "no well-formed");
        HttpMessage otherLabel = unsigned.withHeader("Signature-Input", "a=(\"@method\");created=1;keyid=\"k\"")
                .withHeader("Signature", "b=:AA==:");
        assertRefused(MessageSignatures.verify(otherLabel, null, keys.getPublic(), NOW, WINDOW), "no well-formed");
        assertFalse(Digests.contentDigestMatches("md5=:AA==:", BODY), "no known algorithm is no match");
    }

    /** A request signed by the test's own code, not the production signer. */
    static HttpMessage signedByTest(byte[] body, List<String> components, Instant created, PrivateKey key) throws Exception {
        String contentDigest = "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body)) + ":";
        StringBuilder base = new StringBuilder();
        StringBuilder list = new StringBuilder();
        for (String c : components) {
            String value = switch (c) {
                case "@method" -> "POST";
                case "@target-uri" -> INBOX.toString();
                case "@authority" -> "mastodon.example";
                case "@path" -> "/inbox";
                case "content-digest" -> contentDigest;
                default -> throw new IllegalArgumentException(c);
            };
            base.append('"').append(c).append("\": ").append(value).append('\n');
            list.append(list.isEmpty() ? "" : " ").append('"').append(c).append('"');
        }
        String params = "(" + list + ");created=" + created.getEpochSecond() + ";keyid=\"" + KEY_ID + "\";alg=\"rsa-v1_5-sha256\"";
        base.append("\"@signature-params\": ").append(params);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(base.toString().getBytes(StandardCharsets.UTF_8));
        return new HttpMessage("POST", INBOX, Map.of("Host", List.of("mastodon.example"),
                "Content-Type", List.of("application/activity+json"), "Content-Digest", List.of(contentDigest),
                "Signature-Input", List.of("sig1=" + params),
                "Signature", List.of("sig1=:" + Base64.getEncoder().encodeToString(signer.sign()) + ":")), body);
    }

    /** An RSAPublicKey (PKCS#1) wrapped into the SubjectPublicKeyInfo the JDK reads: the fixed rsaEncryption header. */
    static PublicKey fromPkcs1(String base64) throws Exception {
        byte[] pkcs1 = Base64.getDecoder().decode(base64);
        byte[] header = HexFormat.of().parseHex("30820122300d06092a864886f70d01010105000382010f00");
        byte[] spki = new byte[header.length + pkcs1.length];
        System.arraycopy(header, 0, spki, 0, header.length);
        System.arraycopy(pkcs1, 0, spki, header.length, pkcs1.length);
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
        assertEquals(2048, ((java.security.interfaces.RSAPublicKey) key).getModulus().bitLength());
        assertEquals(BigInteger.valueOf(65537), ((java.security.interfaces.RSAPublicKey) key).getPublicExponent());
        return key;
    }
}
