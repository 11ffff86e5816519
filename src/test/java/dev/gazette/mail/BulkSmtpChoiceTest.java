package dev.gazette.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/** Which mailer configurations keep digests on Quarkus Mailer instead of the bulk writer, and why. */
class BulkSmtpChoiceTest {

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withDefaultValues(values).build();
    }

    @Test
    void shouldUseTheBulkWriterForPlainPasswordOrTlsSetups() {
        assertNull(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.host", "smtp.example.org",
                "quarkus.mailer.username", "news", "quarkus.mailer.password", "secret", "quarkus.mailer.start-tls", "REQUIRED"))));
    }

    @Test
    void shouldSignLogInWithOAuthUseNamedTlsAndFilterRecipientsInTheOwnClient() {
        assertNull(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.dkim.enabled", "true"))));
        assertNull(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.login", "XOAUTH2"))));
        assertNull(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.tls-configuration-name", "relay"))));
        assertNull(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.approved-recipients", ".*@example.org"))));
    }

    @Test
    void shouldDropRecipientsThatAreNotApprovedAsQuarkusMailerDoes() {
        ApprovedRecipients approved = ApprovedRecipients.of(config(Map.of("quarkus.mailer.approved-recipients",
                " .*@staff\\.example\\.org , qa@example.com")));
        io.quarkus.mailer.Mail mail = io.quarkus.mailer.Mail.withText("Ann <ann@Staff.Example.org>", "Hi", "Text")
                .addTo("reader@gmail.com").addCc("qa@example.com").addBcc("qa@example.com.evil.net");
        assertTrue(approved.filter(mail));
        assertEquals(java.util.List.of("Ann <ann@Staff.Example.org>"), mail.getTo());
        assertEquals(java.util.List.of("qa@example.com"), mail.getCc());
        assertTrue(mail.getBcc().isEmpty());
        assertFalse(approved.filter(io.quarkus.mailer.Mail.withText("reader@gmail.com", "Hi", "Text")));
        assertNull(ApprovedRecipients.of(config(Map.of())));
    }

    @Test
    void shouldKeepMailOnTheMailerWhenItNeedsAnotherLoginOrTrustStore() {
        assertTrue(MailService.bulkUnsupported(false, config(Map.of())).contains("gazette.mail.bulk-smtp"));
        assertTrue(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.truststore.paths", "/etc/ca.pem")))
                .contains("quarkus.mailer.truststore.paths"));
        assertTrue(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.key-store", "/etc/client.p12")))
                .contains("tls-configuration-name instead"));
    }
}
