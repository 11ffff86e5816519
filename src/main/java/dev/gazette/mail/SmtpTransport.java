package dev.gazette.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.quarkus.mailer.Mail;
import io.smallrye.mutiny.Uni;
import io.quarkus.mailer.reactive.ReactiveMailer;

/**
 * Sends through the SMTP server configured with {@code quarkus.mailer.*}: through Gazette's own SMTP client (the
 * {@link BulkSmtpWriter}) when the configuration allows it, digests on one pool of connections and single messages on
 * another; otherwise through Quarkus Mailer.
 */
final class SmtpTransport implements MailTransport {

    private final Supplier<ReactiveMailer> reactiveMailer;
    private final BulkSmtpWriter bulk;
    private final BulkSmtpWriter single;
    private final Duration asyncTimeout;
    private final String description;
    private final Executor mailerLoop;

    /**
     * Gazette's own SMTP client, or nulls when the configuration needs Quarkus Mailer.
     *
     * @param bulk   the connections for messages sent without waiting (digests)
     * @param single the connections for messages a caller waits for (confirmations, test sends)
     */
    record Own(BulkSmtpWriter bulk, BulkSmtpWriter single) {
    }

    /**
     * @param reactiveMailer Quarkus Mailer, looked up on first use (only when {@code own} is empty)
     * @param mailerLoop     runs a task on one Vert.x event-loop context; Quarkus Mailer's sends start there (see
     *                       {@link #mailerSend(Mail)})
     */
    SmtpTransport(Supplier<ReactiveMailer> reactiveMailer, Own own, Duration asyncTimeout, String description,
            Executor mailerLoop) {
        this.mailerLoop = mailerLoop;
        this.reactiveMailer = reactiveMailer;
        this.bulk = own.bulk();
        this.single = own.single();
        this.asyncTimeout = asyncTimeout;
        this.description = description;
    }

    @Override
    public void send(Mail mail) {
        if (single == null) {
            mailerSend(mail).await().indefinitely();
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
        return mailerSend(mail).subscribeAsCompletionStage();
    }

    /**
     * A send through Quarkus Mailer, started on one event-loop context. Its Vert.x client opens the socket on the
     * context of the thread that asks and attaches the reader later from the caller's context, without pausing the
     * socket: a greeting that arrives in between is lost, and the send waits for its timeout. Started on an event loop,
     * the connect and the reader run on that one thread, one task after the other, which leaves the greeting almost no
     * time to slip in between; only a patched client would close the window entirely, which is why Gazette's own client
     * sends everything it can.
     */
    private Uni<Void> mailerSend(Mail mail) {
        return reactiveMailer.get().send(mail).runSubscriptionOn(mailerLoop).ifNoItem().after(asyncTimeout).fail();
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
