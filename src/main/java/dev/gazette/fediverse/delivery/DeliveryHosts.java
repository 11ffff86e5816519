package dev.gazette.fediverse.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.fediverse.FediverseConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The hosts deliveries go to ({@code fediverse_host}): a node sends to a host only while it holds the host's lease, so
 * the cluster has one request in flight per host; a host whose delivery failed (5xx, 408, 429, network) waits as a
 * whole, 1, 2, 4 ... minutes (at most 6 hours) after its latest failure; one that has failed continuously for
 * {@code gazette.fediverse.host-unavailable-after} is unavailable: tried with one delivery every 12 hours, its
 * deliveries failed once they are older than {@code gazette.fediverse.delivery-give-up-after}. An answer from the
 * host that is not a failure of the host (2xx, or a 4xx about one delivery) clears its state.
 */
@ApplicationScoped
public class DeliveryHosts {

    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    static final Duration PROBE_INTERVAL = Duration.ofHours(12);

    // One statement picks a host with due rows that nobody holds and that is not backing off, and takes its lease.
    // Ties (a fan-out plans every row at the same instant) are broken at random so parallel workers pick different
    // hosts. Two nodes racing for one host: the second's conditional update finds the lease taken and returns nothing.
    private static final String TAKE = """
            insert into fediverse_host (host, lease_until)
            select d.host, :lease from fediverse_delivery d left join fediverse_host h on h.host = d.host
            where d.status in ('PENDING', 'RETRY') and d.next_attempt_at <= :now
                and (h.host is null or ((h.lease_until is null or h.lease_until <= :now)
                    and (h.retry_at is null or h.retry_at <= :now)))
            order by d.next_attempt_at, random() limit 1
            on conflict (host) do update set lease_until = excluded.lease_until
            where (fediverse_host.lease_until is null or fediverse_host.lease_until <= :now)
                and (fediverse_host.retry_at is null or fediverse_host.retry_at <= :now)
            returning host, unavailable_since is not null""";
    private static final String CLEAR = """
            update fediverse_host set lease_until = null, consecutive_failures = 0, failing_since = null, retry_at = null,
                unavailable_since = null, last_error = null
            where host = :host""";
    private static final String RELEASE = "update fediverse_host set lease_until = null where host = :host";
    private static final String FAILED = """
            update fediverse_host set lease_until = null, consecutive_failures = consecutive_failures + 1,
                failing_since = coalesce(failing_since, cast(:now as timestamptz)), last_error = :error
            where host = :host
            returning consecutive_failures, failing_since""";
    private static final String BACK_OFF = """
            update fediverse_host set retry_at = :retry,
                unavailable_since = case when :unavailable then coalesce(unavailable_since, cast(:now as timestamptz)) end
            where host = :host""";
    // what waits for an unavailable host past the give-up time fails without another attempt
    private static final String GIVE_UP = """
            update fediverse_delivery d set status = 'FAILED', next_attempt_at = :now,
                last_error = 'given up: ' || d.host || ' has been unavailable since '
                    || to_char(h.unavailable_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
            from fediverse_host h
            where h.host = d.host and h.unavailable_since is not null and d.status in ('PENDING', 'RETRY')
                and d.created_at <= :expired and (h.lease_until is null or h.lease_until <= :now)""";

    /** A host this node holds the lease of, and whether only one delivery should probe it. */
    record Lease(String host, boolean probe) {
    }

    private final EntityManager em;
    private final FediverseConfig config;
    private final Clock clock;

    DeliveryHosts(EntityManager em, FediverseConfig config, Clock clock) {
        this.em = em;
        this.config = config;
        this.clock = clock;
    }

    /** Takes the lease of a host with due deliveries, until {@code until}; empty when none is free (or a race was lost). */
    Optional<Lease> take(Instant until) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(TAKE)
                .setParameter("lease", until).setParameter("now", now).getResultList());
        return rows.stream().findFirst().map(r -> new Lease((String) r[0], (Boolean) r[1]));
    }

    /** The host answered: it is well, whatever it said about the deliveries. */
    void answered(String host) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(CLEAR).setParameter("host", host).executeUpdate());
    }

    /** Nothing reached the host (every claimed row was dropped before sending): only the lease goes. */
    void release(String host) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(RELEASE).setParameter("host", host).executeUpdate());
    }

    /** The host failed: returns when it may be tried again, after its back-off or, once unavailable, the probe interval. */
    Instant failed(String host, String error) {
        Instant now = clock.instant();
        String trimmed = error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] state = (Object[]) em.createNativeQuery(FAILED).setParameter("host", host).setParameter("now", now)
                    .setParameter("error", trimmed).getSingleResult();
            int failures = ((Number) state[0]).intValue();
            Instant since = instant(state[1]);
            boolean unavailable = !since.isAfter(now.minus(config.hostUnavailableAfter()));
            Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 20));
            Instant retry = now.plus(unavailable ? PROBE_INTERVAL : delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay);
            if (unavailable) {
                Log.infof("Fediverse host %s is unavailable: failing since %s; one delivery will be tried every %d hours",
                        host, since, PROBE_INTERVAL.toHours());
            }
            em.createNativeQuery(BACK_OFF).setParameter("retry", retry).setParameter("unavailable", unavailable)
                    .setParameter("now", now).setParameter("host", host).executeUpdate();
            return retry;
        });
    }

    /** Fails the deliveries that wait for an unavailable host and are past the give-up time; returns how many. */
    int giveUpOnUnavailable() {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(GIVE_UP).setParameter("now", now)
                .setParameter("expired", now.minus(config.deliveryGiveUpAfter())).executeUpdate());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
