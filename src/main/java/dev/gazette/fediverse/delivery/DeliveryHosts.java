package dev.gazette.fediverse.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.fediverse.FediverseClient;
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
 *
 * <p>A lease is short ({@link DeliverySender#LEASE}) and renewed while the batch goes on, and it carries a random owner
 * token: renewing, releasing and recording an answer or a failure act only while the token is still the host's. Each
 * host knows when it is next due ({@code due_at}: lowered by a trigger when rows are planned, recomputed from its rows
 * when its lease is released), so taking one is an index lookup, not a scan of the due deliveries.
 */
@ApplicationScoped
public class DeliveryHosts {

    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    static final Duration PROBE_INTERVAL = Duration.ofHours(12);

    // A host that is due (its earliest row, or its back-off's end if later) and whose lease is free, in the order of
    // fediverse_host_due_idx: an index scan from the earliest, past the few hosts leased at the moment. Ties (a fan-out
    // plans every row at the same instant) are spread by SKIP LOCKED: a parallel worker passes over the host another is
    // taking. The update is conditional on the host still being free once locked, so two nodes never both take it.
    static final String TAKE = """
            update fediverse_host h set lease_until = :lease, lease_owner = :owner from (
                select host from fediverse_host
                where due_at is not null and greatest(due_at, retry_at) <= :now
                    and (lease_until is null or lease_until <= :now)
                order by greatest(due_at, retry_at) limit 1 for update skip locked) free
            where h.host = free.host
            returning h.host, h.unavailable_since is not null, h.signature_scheme""";
    // everything below acts only while the caller's lease is the host's: one whose lease ran out and was taken over
    // must leave the new holder's lease and state alone
    private static final String RENEW = """
            update fediverse_host set lease_until = :lease where host = :host and lease_owner = :owner""";
    private static final String CLEAR = """
            update fediverse_host set consecutive_failures = 0, failing_since = null, retry_at = null,
                unavailable_since = null, last_error = null,
                signature_scheme = coalesce(nullif(:scheme, ''), signature_scheme)
            where host = :host and lease_owner = :owner""";
    private static final String LOCK = "select 1 from fediverse_host where host = :host and lease_owner = :owner for update";
    // claimed rows not sent (the node is stopping) are due again at once, for whoever takes the host next
    // the claimed rows keep pace with a renewed lease: otherwise they would be due again while their holder sends them
    private static final String EXTEND_CLAIM = """
            update fediverse_delivery set next_attempt_at = :lease where id in (:ids) and status in ('PENDING', 'RETRY')""";
    private static final String PUT_BACK = """
            update fediverse_delivery set next_attempt_at = :now where id in (:ids) and status in ('PENDING', 'RETRY')""";
    // Run after LOCK, as a statement of its own: its snapshot then includes the rows of any plan that committed while
    // this waited for the host's row; a plan still under way lowers due_at after this commits (its trigger waits for
    // the lock). A single UPDATE would compute the minimum from a snapshot taken before the wait and could lose them.
    static final String RELEASE = """
            update fediverse_host set lease_until = null, lease_owner = null,
                due_at = (select min(next_attempt_at) from fediverse_delivery
                          where host = :host and status in ('PENDING', 'RETRY'))
            where host = :host and lease_owner = :owner""";
    private static final String FAILED = """
            update fediverse_host set consecutive_failures = consecutive_failures + 1,
                failing_since = coalesce(failing_since, cast(:now as timestamptz)), last_error = :error
            where host = :host and lease_owner = :owner
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

    /**
     * A host this node holds the lease of, under {@code owner}, a token of this lease alone; whether only one delivery
     * should probe it; the signature scheme it last accepted (null: not known).
     */
    record Lease(String host, String owner, boolean probe, FediverseClient.Scheme scheme, Instant until) {
    }

    private final EntityManager em;
    private final FediverseConfig config;
    private final Clock clock;

    DeliveryHosts(EntityManager em, FediverseConfig config, Clock clock) {
        this.em = em;
        this.config = config;
        this.clock = clock;
    }

    /** Takes the lease of a host with due deliveries, until {@code until}; empty when none is free. */
    Optional<Lease> take(Instant until) {
        Instant now = clock.instant();
        String owner = UUID.randomUUID().toString();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(TAKE)
                .setParameter("lease", until).setParameter("owner", owner).setParameter("now", now).getResultList());
        return rows.stream().findFirst().map(r -> new Lease((String) r[0], owner, (Boolean) r[1],
                r[2] == null ? null : FediverseClient.Scheme.valueOf((String) r[2]), until));
    }

    /** Extends the lease to {@code until}; false when it is no longer this lease's (it ran out and was taken over). */
    boolean renew(Lease lease, Instant until) {
        return renew(lease, until, List.of());
    }

    /** Renews the lease, and the claim of {@code claimed} (the batch's rows not settled yet) with it. */
    boolean renew(Lease lease, Instant until, Collection<Long> claimed) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (em.createNativeQuery(RENEW).setParameter("lease", until).setParameter("host", lease.host())
                    .setParameter("owner", lease.owner()).executeUpdate() == 0) {
                return false;
            }
            if (!claimed.isEmpty()) {
                em.createNativeQuery(EXTEND_CLAIM).setParameter("lease", until).setParameter("ids", List.copyOf(claimed))
                        .executeUpdate();
            }
            return true;
        });
    }

    /**
     * The host answered: it is well, whatever it said about the deliveries, and accepted {@code scheme} (null: no
     * signature was checked). The lease stays, for the rest of the batch: a failure after this starts a new streak.
     */
    void answered(Lease lease, FediverseClient.Scheme scheme) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(CLEAR)
                .setParameter("scheme", scheme == null ? "" : scheme.name()).setParameter("host", lease.host())
                .setParameter("owner", lease.owner()).executeUpdate());
    }

    /** Lets the host go, nothing heard from it since its state was last written. */
    void release(Lease lease, Collection<Long> unsent) {
        release(lease, unsent, false, null);
    }

    /**
     * Lets the host go at the end of a batch: records that it {@code answered} (as {@link #answered}), puts
     * {@code unsent} claimed rows back (due now) and recomputes when the host is next due from its rows, as they were
     * settled; one transaction.
     */
    void release(Lease lease, Collection<Long> unsent, boolean answered, FediverseClient.Scheme scheme) {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            if (em.createNativeQuery(LOCK).setParameter("host", lease.host()).setParameter("owner", lease.owner())
                    .getResultList().isEmpty()) {
                return;
            }
            if (answered) {
                em.createNativeQuery(CLEAR).setParameter("scheme", scheme == null ? "" : scheme.name())
                        .setParameter("host", lease.host()).setParameter("owner", lease.owner()).executeUpdate();
            }
            if (!unsent.isEmpty()) {
                em.createNativeQuery(PUT_BACK).setParameter("now", now).setParameter("ids", List.copyOf(unsent))
                        .executeUpdate();
            }
            em.createNativeQuery(RELEASE).setParameter("host", lease.host()).setParameter("owner", lease.owner())
                    .executeUpdate();
        });
    }

    /**
     * The host failed: returns when it may be tried again, after its back-off or, once unavailable, the probe interval.
     * The lease stays until {@link #release}. A lease taken over meanwhile leaves the host's state to its new holder,
     * and the row waits the first back-off.
     */
    Instant failed(Lease lease, String error) {
        Instant now = clock.instant();
        String host = lease.host();
        String trimmed = error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> states = em.createNativeQuery(FAILED).setParameter("host", host).setParameter("now", now)
                    .setParameter("error", trimmed).setParameter("owner", lease.owner()).getResultList();
            if (states.isEmpty()) {
                return now.plus(FIRST_BACKOFF);
            }
            Object[] state = states.get(0);
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
