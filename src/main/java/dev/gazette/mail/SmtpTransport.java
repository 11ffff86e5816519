package dev.gazette.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.mailer.reactive.ReactiveMailer;

/**
 * Sends through the SMTP server configured with {@code quarkus.mailer.*}: through Gazette's own SMTP client (the
 * {@link BulkSmtpWriter}) when the configuration allows it, digests on one pool of connections and single messages on
 * another; otherwise through Quarkus Mailer.
 */
final class SmtpTransport implements MailTransport {

    private final Supplier<Mailer> mailer;
    private final Supplier<ReactiveMailer> reactiveMailer;
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

    /**
     * @param mailer         Quarkus Mailer, looked up on first use (only when {@code own} is empty)
     * @param reactiveMailer the same, for sends without waiting
     */
    SmtpTransport(Supplier<Mailer> mailer, Supplier<ReactiveMailer> reactiveMailer, Own own, Duration asyncTimeout, String description) {
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
            mailer.get().send(mail);
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
                    // not a refusal, nor a server that is down or stuck: those would fail again, or wait again
                    if (!(e.getCause() instanceof IOException) || e.getCause() instanceof SmtpRefusal
                            || e.getCause() instanceof SmtpUnavailable || attempt > single.connections()) {
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
        return reactiveMailer.get().send(mail).ifNoItem().after(asyncTimeout).fail().subscribeAsCompletionStage();
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
