package dev.gazette.mail;

import io.quarkus.mailer.Mail;

/**
 * One way for a message to leave: an SMTP server, or files in the outbox.
 */
public interface MailTransport {

    /** Sends the message, blocking until the receiver accepted it; throws when it did not. */
    void send(Mail mail);

    /** A short description for logs and health checks, without credentials. */
    String describe();
}
