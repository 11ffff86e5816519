package dev.gazette.mail;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/**
 * Sends through the SMTP server configured with {@code quarkus.mailer.*}.
 */
final class SmtpTransport implements MailTransport {

    private final Mailer mailer;
    private final String description;

    SmtpTransport(Mailer mailer, String description) {
        this.mailer = mailer;
        this.description = description;
    }

    @Override
    public void send(Mail mail) {
        mailer.send(mail);
    }

    @Override
    public String describe() {
        return description;
    }
}
