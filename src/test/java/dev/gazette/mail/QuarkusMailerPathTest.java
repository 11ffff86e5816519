package dev.gazette.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.mailer.Mail;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With gazette.mail.bulk-smtp=false, mail goes through Quarkus Mailer, its sends started on one event loop. */
@QuarkusTest
@TestProfile(QuarkusMailerPathTest.MailerOnly.class)
class QuarkusMailerPathTest extends GazetteTest {

    public static class MailerOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gazette.mail.bulk-smtp", "false");
        }
    }

    @Inject
    MailService mail;

    @Test
    void shouldSendWaitingAndNotWaitingThroughTheMailer() throws Exception {
        assertTrue(mail.transport().describe().endsWith("(Quarkus Mailer)"), mail.transport().describe());
        mail.send(Mail.withText("ann@example.org", "Confirm your subscription", "Please confirm."), "confirmation");
        for (int i = 0; i < 20; i++) {
            mail.sendAsync(Mail.withText("reader" + i + "@example.org", "Digest", "News.")).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        assertTrue(greenMail.waitForIncomingEmail(5000, 21));
        assertEquals(21, greenMail.getReceivedMessages().length);
    }
}
