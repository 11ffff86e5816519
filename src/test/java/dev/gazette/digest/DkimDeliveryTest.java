package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.mail.MailService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With a DKIM key configured (a PEM file as {@code openssl genpkey} writes it), digests and confirmations leave through
 * Gazette's own SMTP client signed, and what the SMTP server received verifies with an independent DKIM verifier
 * (Apache James jDKIM) against the public key as its DNS record would publish it.
 */
@QuarkusTest
@TestProfile(DkimDeliveryTest.Signed.class)
class DkimDeliveryTest extends DigestTestBase {

    /** The signing settings an operator following docs/guide/digests.md would write. */
    public static class Signed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gazette.mail.dkim.private-key-path", "src/test/resources/dkim/rsa-pkcs8.pem",
                    "gazette.mail.dkim.domain", "news.example.org", "gazette.mail.dkim.selector", "gz1",
                    "gazette.mail.from", "The News <hello@news.example.org>");
        }
    }

    @Inject
    MailService mail;

    @BeforeEach
    void news() {
        worldNews();
    }

    @Test
    void shouldSignDigestsOnTheFastPathWithTheListHeadersCovered() throws Exception {
        assertTrue(mail.transport().describe().contains("own SMTP client")
                && mail.transport().describe().contains("DKIM-signed as rsa-sha256 d=news.example.org s=gz1"),
                mail.transport().describe());
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        issues.sendManual(daily("world").id, null, null, "tests");
        sender.sendDue();
        assertEquals("SENT", delivery(reader.id).status(), delivery(reader.id).lastError());

        SignatureRecord signature = verified(messageTo("reader@example.org"));
        List<String> signed = signature.getHeaders().stream().map(h -> h.toString().toLowerCase()).toList();
        for (String header : List.of("from", "to", "subject", "date", "message-id", "list-unsubscribe",
                "list-unsubscribe-post", "list-id", "feedback-id", "content-type")) {
            assertTrue(signed.contains(header), header + " is not signed: " + signed);
        }
        assertEquals("news.example.org", signature.getDToken().toString());
    }

    @Test
    void shouldSignConfirmationsToo() throws Exception {
        given().contentType(ContentType.URLENC).formParam("email", "ann@example.org").formParam("topics", "world")
                .when().post("/subscribe").then().statusCode(200);
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        SignatureRecord signature = verified(greenMail.getReceivedMessages()[0]);
        assertTrue(signature.getHeaders().stream().anyMatch(h -> h.toString().equalsIgnoreCase("subject")));
    }

    /** Verifies the message as received, bytes and all, and returns its one valid signature. */
    private static SignatureRecord verified(MimeMessage received) throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        received.writeTo(raw);
        String record = "v=DKIM1; k=rsa; p=" + Files.readString(Path.of("src/test/resources/dkim/rsa-public.b64")).strip();
        DKIMVerifier verifier = new DKIMVerifier((method, selector, domain) -> {
            assertEquals("gz1", selector.toString());
            return List.of(record);
        });
        List<SignatureRecord> valid = verifier.verify(new ByteArrayInputStream(raw.toByteArray()));
        assertEquals(1, valid.size(), new String(raw.toByteArray(), StandardCharsets.UTF_8));
        return valid.get(0);
    }
}
