package dev.gazette.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.mailer.reactive.ReactiveMailer;

/**
 * Sends through the SMTP server configured with {@code quarkus.mailer.*}: through Gazette's own SMTP client (the
 * {@link BulkSmtpWriter}) when the configuration allows it, digests on one pool of connections and single messages on
 * another; otherwise through Quarkus Mailer.
 */
final class SmtpTransport implements MailTransport {

    private final Mailer mailer;
    private final ReactiveMailer reactiveMailer;
    private final BulkSmtpWriter bulk;
    private final BulkSmtpWriter single;
    private final Duration asyncTimeout;
    private final String description;

    /**
     * Gazette's own SMTP client, or nulls when the configuration needs Quarkus Mailer.
     *
     * @param bulk   the connections for messages sent without waiting (digests)
     * @param single the connections for messages a caller waits for (confirmations, test sends)
     */
    record Own(BulkSmtpWriter bulk, BulkSmtpWriter single) {
    }

    SmtpTransport(Mailer mailer, ReactiveMailer reactiveMailer, Own own, Duration asyncTimeout, String description) {
        this.mailer = mailer;
        this.reactiveMailer = reactiveMailer;
        this.bulk = own.bulk();
        this.single = own.single();
        this.asyncTimeout = asyncTimeout;
        this.description = description;
    }

    @Override
    public void send(Mail mail) {
        if (single == null) {
            mailer.send(mail);
            return;
        }
        try {
            // A kept connection the server has closed meanwhile (a restart, an idle time-out) fails the first message
            // on it and is dropped: each of the pool's connections may do so once before a new one is opened.
            for (int attempt = 1;; attempt++) {
                try {
                    // completes or fails within the send timeout: the writer closes a connection stuck past it
                    single.send(mail).toCompletableFuture().get();
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof IOException) || e.getCause() instanceof SmtpRefusal
                            || attempt > single.connections()) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
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
        if (single != null) {
            single.close();
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
