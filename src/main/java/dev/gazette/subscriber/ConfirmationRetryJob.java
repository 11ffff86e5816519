package dev.gazette.subscriber;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Tries again the confirmation mails that could not be sent, when their back-off is over ({@link ConfirmationSender}),
 * so that a reader who subscribed while the SMTP server was down still gets the link without asking again. Counted in
 * {@code gazette_confirmation_retries_total{outcome=sent|failed|abandoned}}.
 */
@ApplicationScoped
public class ConfirmationRetryJob {

    /** Readers handled in one run at most; the rest wait for the next run. */
    static final int BATCH = 100;

    private final ConfirmationSender sender;
    private final Clock clock;
    private final MeterRegistry metrics;

    ConfirmationRetryJob(ConfirmationSender sender, Clock clock, MeterRegistry metrics) {
        this.sender = sender;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Scheduled(identity = "retry-confirmation-mails", every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            int handled = retryDue();
            if (handled > 0) {
                Log.infof("Retried %d confirmation mails", handled);
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Retrying confirmation mails failed; the next run retries");
        }
    }

    /**
     * Retries the due confirmation mails, the longest-waiting first, {@link #BATCH} at most. Each reader is taken in a
     * transaction of its own that keeps the row locked while the mail is sent; the row is selected with SKIP LOCKED, so
     * instances running this together, or a reader's own subscribe request, never send the same mail twice.
     *
     * @return how many readers were handled
     */
    public int retryDue() {
        int handled = 0;
        while (handled < BATCH) {
            Optional<ConfirmationSender.Outcome> outcome = QuarkusTransaction.requiringNew().call(this::retryNext);
            if (outcome.isEmpty()) {
                break;
            }
            handled++;
            // Counted once committed: what was counted is what the database says.
            if (outcome.get() != ConfirmationSender.Outcome.NOT_DUE) {
                metrics.counter("gazette_confirmation_retries_total", "outcome", outcome.get().name().toLowerCase(Locale.ROOT))
                        .increment();
            }
        }
        return handled;
    }

    /** Every outcome leaves the reader's retry time empty or in the future, so the loop above always moves on. */
    private Optional<ConfirmationSender.Outcome> retryNext() {
        Instant now = clock.instant();
        return Subscriber.<Subscriber> find("status = ?1 and confirmationRetryAt <= ?2 order by confirmationRetryAt, id",
                SubscriberStatus.PENDING, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .firstResultOptional()
                .map(s -> sender.retry(s, now));
    }
}
