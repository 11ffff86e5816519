package dev.gazette.mail;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.mailer.reactive.ReactiveMailer;

/**
 * Sends through the SMTP server configured with {@code quarkus.mailer.*}.
 */
final class SmtpTransport implements MailTransport {

    private final Mailer mailer;
    private final ReactiveMailer reactiveMailer;
    private final Duration asyncTimeout;
    private final String description;

    SmtpTransport(Mailer mailer, ReactiveMailer reactiveMailer, Duration asyncTimeout, String description) {
        this.mailer = mailer;
        this.reactiveMailer = reactiveMailer;
        this.asyncTimeout = asyncTimeout;
        this.description = description;
    }

    @Override
    public void send(Mail mail) {
        mailer.send(mail);
    }

    @Override
    public CompletionStage<Void> sendAsync(Mail mail) {
        return reactiveMailer.send(mail).ifNoItem().after(asyncTimeout).fail().subscribeAsCompletionStage();
    }

    @Override
    public String describe() {
        return description;
    }
}
