package dev.gazette.subscriber;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.config.SiteConfig;
import dev.gazette.mail.MailService;
import io.quarkus.mailer.Mail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Transactional mail to readers (not the newsletter stream): the confirmation link of a double opt-in.
 */
@ApplicationScoped
public class SubscriberMails {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirmationHtml(String site, String name, String confirmUrl, String siteUrl);

        static native TemplateInstance confirmationText(String site, String name, String confirmUrl, String siteUrl);
    }

    private final MailService mail;
    private final SiteConfig site;

    SubscriberMails(MailService mail, SiteConfig site) {
        this.mail = mail;
        this.site = site;
    }

    public void sendConfirmation(String email, String name, String confirmUrl) {
        Mail message = new Mail()
                .setTo(List.of(email))
                .setSubject("Confirm your subscription to " + site.name())
                .setText(Templates.confirmationText(site.name(), name, confirmUrl, site.baseUrl()).render())
                .setHtml(Templates.confirmationHtml(site.name(), name, confirmUrl, site.baseUrl()).render())
                .addHeader("Auto-Submitted", "auto-generated");
        mail.send(message, "confirmation");
    }
}
