package dev.gazette.lifecycle;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the event ledger from growing for ever: events older than {@code gazette.webhooks.retention} whose
 * deliveries are all settled (delivered, or failed for good) are deleted with their deliveries, a batch per
 * transaction. An event with a delivery still pending, retrying or in flight (a paused endpoint's) stays.
 */
@ApplicationScoped
public class WebhookRetentionJob {

    static final int BATCH = 5_000;

    private static final String PRUNE = """
            delete from event where id in (
                select e.id from event e
                where e.created_at < ?1
                  and not exists (select 1 from webhook_delivery d
                                  where d.event_id = e.id and d.status in ('PENDING', 'SENDING', 'RETRY'))
                order by e.id limit ?2)""";

    private final EntityManager em;
    private final WebhooksConfig config;
    private final Clock clock;

    WebhookRetentionJob(EntityManager em, WebhooksConfig config, Clock clock) {
        this.em = em;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "prune-webhook-events", every = "1h", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            int deleted = prune();
            if (deleted > 0) {
                Log.infof("Deleted %d settled events older than %s", deleted, config.retention());
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Pruning old events failed; the next run retries");
        }
    }

    /** Deletes the settled events older than the retention; returns how many. */
    public int prune() {
        Instant before = clock.instant().minus(config.retention());
        int total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(PRUNE).setParameter(1, before)
                    .setParameter(2, BATCH).executeUpdate());
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
