package dev.gazette.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.common.Text;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The webhook deliveries' state changes, in SQL, each in its own transaction. A claim marks rows SENDING under a lease
 * (their {@code next_attempt_at} becomes the lease's end) before any request leaves; a row whose lease ran out (its
 * dispatcher crashed or hung) is due again, so every committed event is delivered at least once.
 */
@ApplicationScoped
public class WebhookLedger {

    // The subquery is materialised so that LIMIT and SKIP LOCKED apply to the candidate rows before the update.
    private static final String CLAIM = """
            with due as materialized (
                select d.id from webhook_delivery d
                join webhook_endpoint w on w.id = d.endpoint_id
                where d.status in ('PENDING', 'RETRY', 'SENDING') and d.next_attempt_at <= :now
                  and w.active and w.paused_at is null
                order by d.next_attempt_at, d.id
                limit :limit
                for update of d skip locked)
            update webhook_delivery d set status = 'SENDING', claimed_by = :instance, attempts = d.attempts + 1,
                next_attempt_at = :leaseEnd, updated_at = :now
            from due where d.id = due.id
            returning d.id""";

    private static final String DELIVERED = """
            update webhook_delivery set status = 'DELIVERED', delivered_at = :now, response_code = :code, error = null,
                claimed_by = null, updated_at = :now
            where id = :id and status = 'SENDING' and claimed_by = :instance""";

    private static final String NOT_DELIVERED = """
            update webhook_delivery set status = :status, next_attempt_at = :next, response_code = :code, error = :error,
                claimed_by = null, updated_at = :now
            where id = :id and status = 'SENDING' and claimed_by = :instance""";

    private static final String ENDPOINT_OK = """
            update webhook_endpoint set consecutive_failures = 0 where id = :id and consecutive_failures <> 0""";

    /** Counts a failure; the endpoint pauses at the threshold. Returns whether this failure paused it. */
    private static final String ENDPOINT_FAILED = """
            update webhook_endpoint set consecutive_failures = consecutive_failures + 1,
                paused_at = case when paused_at is null and consecutive_failures + 1 >= :threshold then :now else paused_at end,
                pause_reason = case when paused_at is null and consecutive_failures + 1 >= :threshold then :reason
                                    else pause_reason end,
                updated_at = :now
            where id = :id
            returning paused_at = :now""";

    static final int MAX_ERROR = 1000;

    private final EntityManager em;

    WebhookLedger(EntityManager em) {
        this.em = em;
    }

    /** Claims due deliveries (and those whose lease ran out) for this instance; returns their ids. */
    public List<Long> claim(String instance, Instant now, Duration lease, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(CLAIM, Long.class)
                .setParameter("now", now).setParameter("leaseEnd", now.plus(lease)).setParameter("instance", instance)
                .setParameter("limit", limit).getResultList().stream().map(Long.class::cast).toList());
    }

    /** The receiver answered 2xx. */
    public void delivered(long id, long endpointId, String instance, int code, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            int settled = em.createNativeQuery(DELIVERED).setParameter("now", now).setParameter("code", code)
                    .setParameter("id", id).setParameter("instance", instance).executeUpdate();
            if (settled == 1) {
                em.createNativeQuery(ENDPOINT_OK).setParameter("id", endpointId).executeUpdate();
            }
        });
    }

    /**
     * Not delivered: RETRY at {@code next}, or FAILED for good when {@code next} is null. Returns whether the endpoint
     * was paused by this failure.
     */
    public boolean failed(long id, long endpointId, String instance, Integer code, String error, Instant next,
            int pauseThreshold, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int settled = em.createNativeQuery(NOT_DELIVERED).setParameter("status", next == null ? "FAILED" : "RETRY")
                    .setParameter("next", next == null ? now : next).setParameter("code", code)
                    .setParameter("error", Text.truncate(error, MAX_ERROR)).setParameter("now", now)
                    .setParameter("id", id).setParameter("instance", instance).executeUpdate();
            if (settled == 0) {
                return false; // another run took the row over after our lease ran out
            }
            Object paused = em.createNativeQuery(ENDPOINT_FAILED).setParameter("threshold", pauseThreshold)
                    .setParameter("now", now).setParameter("id", endpointId)
                    .setParameter("reason", Text.truncate("Paused after " + pauseThreshold + " failed deliveries in a row; last: "
                            + error, MAX_ERROR))
                    .getSingleResult();
            return Boolean.TRUE.equals(paused);
        });
    }
}
