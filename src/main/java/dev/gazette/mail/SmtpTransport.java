package dev.gazette.mail;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.mailer.reactive.ReactiveMailer;

/**
 * Sends through the SMTP server configured with {@code quarkus.mailer.*}: single messages through Quarkus Mailer,
 * bulk messages sent without waiting (digests) through the {@link BulkSmtpWriter} when the configuration allows it.
 */
final class SmtpTransport implements MailTransport {

    private final Mailer mailer;
    private final ReactiveMailer reactiveMailer;
    private final BulkSmtpWriter bulk;
    private final Duration asyncTimeout;
    private final String description;

    SmtpTransport(Mailer mailer, ReactiveMailer reactiveMailer, BulkSmtpWriter bulk, Duration asyncTimeout, String description) {
        this.mailer = mailer;
        this.reactiveMailer = reactiveMailer;
        this.bulk = bulk;
        this.asyncTimeout = asyncTimeout;
        this.description = description;
    }

    @Override
    public void send(Mail mail) {
        mailer.send(mail);
    }

    @Override
    public CompletionStage<Void> sendAsync(Mail mail) {
        if (bulk != null) {
            return bulk.send(mail);
        }
        return reactiveMailer.send(mail).ifNoItem().after(asyncTimeout).fail().subscribeAsCompletionStage();
    }

    void close() {
        if (bulk != null) {
            bulk.close();
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
