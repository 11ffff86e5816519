package dev.gazette.subscriber;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Deletes subscriptions that were never confirmed within {@code gazette.subscribers.pending-ttl}: no consent, no data.
 */
@ApplicationScoped
public class PendingPurgeJob {

    private final SubscribersConfig config;
    private final Clock clock;

    PendingPurgeJob(SubscribersConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "purge-unconfirmed-subscribers", every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            long purged = purge();
            if (purged > 0) {
                Log.infof("Deleted %d unconfirmed subscriptions", purged);
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Purging unconfirmed subscriptions failed; the next run retries");
        }
    }

    @Transactional
    public long purge() {
        Instant cutoff = clock.instant().minus(config.pendingTtl());
        // Re-subscriptions of unsubscribed readers keep their row (and suppression) if not confirmed: back to UNSUBSCRIBED.
        Subscriber.update("status = ?1, confirmationRetryAt = null"
                + " where status = ?2 and unsubscribedAt is not null and coalesce(confirmationSentAt, createdAt) < ?3",
                SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.PENDING, cutoff);
        return Subscriber.delete("status = ?1 and confirmedAt is null and coalesce(confirmationSentAt, createdAt) < ?2",
                SubscriberStatus.PENDING, cutoff);
    }
}
