package dev.gazette.fediverse.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.FediverseConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Forgets the ids of activities handled long ago ({@code fediverse_inbox_activity}), hourly, and the tombstones of
 * Notes deleted more than {@value #TOMBSTONE_DAYS} days ago ({@code fediverse_inbox_tombstone}): a Create refused
 * for a moment (503 while the inbox's queue was full) comes back with the sender's retries, which go on for days
 * after its Delete was taken. An id only has to be
 * remembered while a captured request carrying it could still pass the date check: its signature is at most one
 * signature window away from when it was received, and a replay is refused one window after its signature, so twice
 * the window (plus an hour of margin for clocks) is enough. A sender's retry after that is handled again, which every
 * activity tolerates (a follower stored again, a like or reply already there).
 */
@Singleton
public class InboxPruning {

    static final Duration MARGIN = Duration.ofHours(1);
    static final int TOMBSTONE_DAYS = 7;

    private final Federation federation;
    private final FediverseConfig config;
    private final EntityManager em;
    private final Clock clock;

    InboxPruning(Federation federation, FediverseConfig config, EntityManager em, Clock clock) {
        this.federation = federation;
        this.config = config;
        this.em = em;
        this.clock = clock;
    }

    @Scheduled(identity = "fediverse-inbox-pruning", every = "1h", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!federation.enabled()) {
            return;
        }
        try {
            int pruned = prune();
            if (pruned > 0) {
                Log.infof("Fediverse inbox: forgot %d activity ids older than %s", pruned, retention());
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Fediverse inbox: pruning the handled activity ids failed");
        }
    }

    /** Deletes the ids received longer ago than {@link #retention()}; returns how many. Tests call it directly. */
    public int prune() {
        Instant before = clock.instant().minus(retention());
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "delete from fediverse_inbox_activity where received_at < :before").setParameter("before", before)
                .executeUpdate() + em.createNativeQuery("delete from fediverse_inbox_tombstone where deleted_at < :before")
                .setParameter("before", clock.instant().minus(Duration.ofDays(TOMBSTONE_DAYS))).executeUpdate());
    }

    /** How long a handled activity id is remembered: twice the signature window, plus a margin. */
    public Duration retention() {
        return config.signatureWindow().multipliedBy(2).plus(MARGIN);
    }
}
