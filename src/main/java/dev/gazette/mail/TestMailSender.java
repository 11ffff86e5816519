package dev.gazette.mail;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.config.SiteConfig;
import io.quarkus.mailer.Mail;

/**
 * Sends the message an administrator asks for to check that mail gets out.
 */
@ApplicationScoped
public class TestMailSender {

    private final MailService mail;
    private final SiteConfig site;
    private final Clock clock;

    TestMailSender(MailService mail, SiteConfig site, Clock clock) {
        this.mail = mail;
        this.site = site;
        this.clock = clock;
    }

    /** @return a description of the transport the message went through */
    public String send(String to) {
        String text = "This is a test message from " + site.name() + " (" + site.baseUrl() + "), sent at "
                + clock.instant() + ".\r\nIf you can read it, outgoing mail works.\r\n";
        Mail message = Mail.withText(to, "Test message from " + site.name(), text)
                .addHeader("Auto-Submitted", "auto-generated");
        mail.send(message, "test");
        return mail.transport().describe();
    }
}
