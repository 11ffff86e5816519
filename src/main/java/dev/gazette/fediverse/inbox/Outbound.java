package dev.gazette.fediverse.inbox;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.fediverse.FediverseClient;
import dev.gazette.fediverse.Federation;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Activities this server POSTs to remote inboxes (today the {@code Accept} of a follow), kept in
 * {@code fediverse_outbox} until delivered. The first attempt is made right after the row is written; a row is written
 * due a lease later, so only a node that dies before settling it leaves it to the retry job. An attempt claims its
 * row first ({@code claimed_until}), so the same row is never posted twice at once. Each attempt is signed
 * with draft-cavage, then once with RFC 9421 when the receiver answers 401 ("double-knock"). 5xx, 408, 429, timeouts
 * and connection failures are retried with exponential back-off; other answers fail for good.
 */
@ApplicationScoped
public class Outbound {

    static final int MAX_ATTEMPTS = 10;
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    static final Duration LEASE = Duration.ofMinutes(2);

    private static final String INSERT = """
            insert into fediverse_outbox (inbox, body, next_attempt_at, status, created_at)
            values (:inbox, cast(:body as json), :lease, 'PENDING', :now) returning id""";
    // the lease moves the claimed rows out of every other node's next claim until this attempt is settled
    private static final String CLAIM = """
            update fediverse_outbox set next_attempt_at = :lease where id in (
                select id from fediverse_outbox where status = 'PENDING' and next_attempt_at <= :now
                    and (claimed_until is null or claimed_until <= :now)
                order by next_attempt_at limit :batch for update skip locked)
            returning id""";
    // one attempt at a time per row: the immediate send, a retry run and another node each claim the row first, and
    // only the one whose conditional update lands sends it
    private static final String CLAIM_ROW = """
            update fediverse_outbox set claimed_until = :until
            where id = :id and status = 'PENDING' and (claimed_until is null or claimed_until <= :now)
            returning inbox, cast(body as text), attempts""";

    private final EntityManager em;
    private final FediverseClient client;
    private final Federation federation;
    private final Clock clock;

    Outbound(EntityManager em, FediverseClient client, Federation federation, Clock clock) {
        this.em = em;
        this.client = client;
        this.federation = federation;
        this.clock = clock;
    }

    /** Writes an activity to deliver; joins the caller's transaction. Returns the row id for {@link #deliver}. */
    public long enqueue(String inbox, String body) {
        Instant now = clock.instant();
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery(INSERT)
                .setParameter("inbox", inbox).setParameter("body", body).setParameter("lease", now.plus(LEASE))
                .setParameter("now", now).getSingleResult()).longValue());
    }

    @Scheduled(identity = "fediverse-retries", every = "${gazette.fediverse.retry-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (federation.enabled()) {
            deliverDue();
        }
    }

    /** Attempts every due row once; returns how many. Tests call it directly. */
    public int deliverDue() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Number> ids = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(CLAIM)
                .setParameter("lease", now.plus(LEASE)).setParameter("now", now).setParameter("batch", 50).getResultList());
        for (Number id : ids) {
            try {
                deliver(id.longValue());
            } catch (RuntimeException e) {
                // the row stays leased; a later run tries it again
                Log.errorf(e, "Fediverse delivery %d could not be settled", id.longValue());
            }
        }
        return ids.size();
    }

    /**
     * One attempt at a row, settled in the table; nothing when the row is settled already or another attempt holds
     * its claim (which lapses a lease after it was taken, should that attempt's node die).
     */
    public void deliver(long id) {
        Instant now = clock.instant();
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(CLAIM_ROW)
                .setParameter("until", now.plus(LEASE)).setParameter("id", id).setParameter("now", now)
                .getResultStream().findFirst().orElse(null));
        if (row == null) {
            return;
        }
        URI inbox = URI.create((String) row[0]);
        String body = (String) row[1];
        int attempts = ((Number) row[2]).intValue() + 1;
        FediverseClient.Attempt attempt = client.deliver(inbox, body);
        if (attempt instanceof FediverseClient.Attempt.Retry r) {
            retry(id, attempts, r.error());
        } else if (attempt instanceof FediverseClient.Attempt.Failed f) {
            settle(id, attempts, "FAILED", null, f.error());
        } else {
            settle(id, attempts, "DELIVERED", null, null);
        }
    }

    private void retry(long id, int attempts, String error) {
        if (attempts >= MAX_ATTEMPTS) {
            settle(id, attempts, "FAILED", null, error);
            return;
        }
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempts - 1, 20));
        settle(id, attempts, "PENDING", clock.instant().plus(delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay), error);
    }

    private void settle(long id, int attempts, String status, Instant next, String error) {
        Instant now = clock.instant();
        if (!"DELIVERED".equals(status)) {
            Log.infof("Fediverse delivery %d: %s after %d attempt(s): %s", id, status, attempts, error);
        }
        String trimmed = error == null ? "" : error.length() > 1000 ? error.substring(0, 1000) : error;
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update fediverse_outbox set status = :status, attempts = :attempts, last_error = nullif(:error, ''),
                    claimed_until = null,
                    next_attempt_at = :next, delivered_at = case when :delivered then cast(:now as timestamptz) end
                where id = :id""").setParameter("status", status).setParameter("attempts", attempts)
                .setParameter("error", trimmed).setParameter("next", next != null ? next : now)
                .setParameter("delivered", "DELIVERED".equals(status)).setParameter("now", now)
                .setParameter("id", id).executeUpdate());
    }
}
