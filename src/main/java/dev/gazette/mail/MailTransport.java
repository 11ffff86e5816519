package dev.gazette.mail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.quarkus.mailer.Mail;

/**
 * One way for a message to leave: an SMTP server, or files in the outbox.
 */
public interface MailTransport {

    /** Sends the message, blocking until the receiver accepted it; throws when it did not. */
    void send(Mail mail);

    /** Sends without blocking the caller where the transport allows it; completes when the receiver accepted it. */
    default CompletionStage<Void> sendAsync(Mail mail) {
        try {
            send(mail);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A short description for logs and health checks, without credentials. */
    String describe();
}
