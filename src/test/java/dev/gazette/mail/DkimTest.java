package dev.gazette.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;

/**
 * DKIM keys in the forms operators have, and signatures checked by an independent verifier (Apache James jDKIM), with
 * the public key published as the DNS TXT record would hold it.
 */
class DkimTest {

    private static final Instant NOW = Instant.parse("2026-12-05T07:00:00Z");
    private static final String SETTING = "gazette.mail.dkim.private-key";

    @ParameterizedTest
    @ValueSource(strings = { "rsa-pkcs8.pem", "rsa-pkcs1.pem", "rsa-bare.txt" })
    void shouldSignWithEveryFormOfAnRsaKeyAndVerifyIndependently(String file) throws Exception {
        DkimKey key = DkimKey.read(resource(file), SETTING);
        assertEquals("rsa-sha256", key.algorithm());

        byte[] signed = new DkimSigner("news.example.org", "gz1", key).sign(digest(), NOW);

        List<SignatureRecord> valid = verifier().verify(new ByteArrayInputStream(signed));
        assertEquals(1, valid.size());
        String h = String.join(":", valid.get(0).getHeaders()).toLowerCase();
        assertTrue(h.contains("list-unsubscribe") && h.contains("list-unsubscribe-post") && h.contains("list-id")
                && h.contains("feedback-id") && h.contains("from") && h.contains("subject"), h);
    }

    @Test
    void shouldNotVerifyWhenAListHeaderOrTheBodyChangesInTransit() throws Exception {
        byte[] signed = new DkimSigner("news.example.org", "gz1", DkimKey.read(resource("rsa-pkcs8.pem"), SETTING))
                .sign(digest(), NOW);
        String text = new String(signed, StandardCharsets.UTF_8);
        for (String tampered : List.of(text.replace("<https://news.example.org/u/tok>", "<https://evil.example.com/u/tok>"),
                text.replace("Read it here", "Read it there"))) {
            assertThrows(FailException.class, () -> verifier().verify(new ByteArrayInputStream(tampered.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void shouldVerifyAfterRelaysReflowWhiteSpaceAndAddTrailingLines() throws Exception {
        byte[] signed = new DkimSigner("news.example.org", "gz1", DkimKey.read(resource("rsa-pkcs1.pem"), SETTING))
                .sign(digest(), NOW);
        // what a relay may do under relaxed canonicalisation: white space runs, a trailing blank line, SMTP's last CRLF
        String relayed = new String(signed, StandardCharsets.UTF_8).replace("Subject: Your", "Subject:   Your") + "\r\n\r\n";
        assertEquals(1, verifier().verify(new ByteArrayInputStream(relayed.getBytes(StandardCharsets.UTF_8))).size());
    }

    @Test
    void shouldReadAnEd25519Key() throws Exception {
        DkimKey key = DkimKey.read(resource("ed25519.pem"), SETTING);
        assertEquals("ed25519-sha256", key.algorithm());
        // read, but not used to sign until an independent verifier can check ed25519-sha256 signatures
        assertThrows(IllegalArgumentException.class, () -> new DkimSigner("news.example.org", "gz2", key));
    }

    @Test
    void shouldNameTheSettingAndTheFormsWhenAKeyCannotBeRead() throws Exception {
        String pkcs8 = resource("rsa-pkcs8.pem");
        for (String broken : List.of("", "not a key at all!", pkcs8.replace("-----END PRIVATE KEY-----", ""),
                pkcs8.substring(0, pkcs8.length() / 2) + "\n-----END PRIVATE KEY-----\n", "-----BEGIN PUBLIC KEY-----\n"
                        + resource("rsa-public.b64") + "\n-----END PUBLIC KEY-----\n", "QUJD")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DkimKey.read(broken, SETTING));
            assertTrue(e.getMessage().startsWith(SETTING + " cannot be read as a DKIM key: "), e.getMessage());
            assertTrue(e.getMessage().contains("BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY"), e.getMessage());
        }
    }

    @Test
    void shouldHashTheBodyAsRelaxedCanonicalisationSays() {
        // RFC 6376 3.4.5's example body: " C \r\nD \t E\r\n\r\n\r\n" is " C\r\nD E\r\n" after relaxed canonicalisation
        byte[] message = "A: X\r\n\r\n C \r\nD \t E\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = "A: X\r\n\r\n C\r\nD E\r\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(Arrays.equals(DkimSigner.bodyHash(expected, DkimSigner.bodyStart(expected)),
                DkimSigner.bodyHash(message, DkimSigner.bodyStart(message))));
    }

    private static byte[] digest() {
        Mail mail = Mail.withHtml("Ann Reader <ann@example.org>", "Your  morning digest: Café", "<p>Read it here</p>\n<p>Bye</p>")
                .setText("Read it here\nBye")
                .setFrom("\"The News\" <digest@news.example.org>")
                .addHeader("List-Unsubscribe", "<https://news.example.org/u/tok>")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .addHeader("List-Id", "Morning <morning.news.example.org>")
                .addHeader("Feedback-ID", "7:morning:gazette");
        return new MimeEncoder("news.example.org").encode(mail, NOW);
    }

    private static DKIMVerifier verifier() throws IOException {
        String record = "v=DKIM1; k=rsa; p=" + resource("rsa-public.b64").strip();
        return new DKIMVerifier((method, selector, domain) -> {
            assertEquals("gz1", selector.toString());
            assertEquals("news.example.org", domain.toString());
            return List.of(record);
        });
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DkimTest.class.getResourceAsStream("/dkim/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
