package dev.gazette.mail;

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
    void shouldSignInTheOwnClientRatherThanFallBackToTheMailer() {
        assertNull(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.dkim.enabled", "true"))));
    }

    @Test
    void shouldKeepMailOnTheMailerWhenItNeedsAnotherLoginOrTrustStore() {
        assertTrue(MailService.bulkUnsupported(false, config(Map.of())).contains("gazette.mail.bulk-smtp"));
        assertTrue(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.login", "XOAUTH2"))).contains("XOAUTH2"));
        assertTrue(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.truststore.paths", "/etc/ca.pem")))
                .contains("quarkus.mailer.truststore.paths"));
        assertTrue(MailService.bulkUnsupported(true, config(Map.of("quarkus.mailer.tls-configuration-name", "relay")))
                .contains("tls-configuration-name"));
    }
}
