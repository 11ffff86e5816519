package dev.gazette.lifecycle.mail;

import java.time.Instant;
import java.util.Optional;

import dev.gazette.subscriber.Subscriber;
import io.quarkus.mailer.Mail;

/**
 * One kind of lifecycle mail (the welcome, the onboarding steps, re-engagement): which readers are due a message,
 * and the message one of them gets. {@link LifecycleMailJob} runs every flow's planning and sends the rows, whatever
 * their kind, with one set of guarantees: a row per message, reader and occasion, sent at most once more than once
 * (the one in flight at a crash), the reader's state and the suppression list checked again at send time.
 */
public interface LifecycleFlow {

    /** The kind of message this flow sends. */
    LifecycleMessage.Kind kind();

    /** Inserts the rows now due into {@code lifecycle_mail} (ignoring those that exist), in the caller's transaction. */
    int plan(Instant now);

    /**
     * The mail for this row, to an active, unsuppressed, unpaused reader; empty to skip it (the message was deleted or
     * switched off, or the reader is no longer due it). Runs in the transaction that settles the row.
     */
    Optional<Mail> compose(Row row, Subscriber reader);

    /** What a flow may do once its mail went out, in the same transaction (by default nothing). */
    default void sent(Row row, Subscriber reader) {
    }

    /** A due ledger row. */
    record Row(long id, long messageId, long readerId, int occasion, Instant now) {
    }
}
