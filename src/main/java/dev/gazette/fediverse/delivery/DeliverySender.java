package dev.gazette.fediverse.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.fediverse.ActorKeys;
import dev.gazette.fediverse.ArticleObjects;
import dev.gazette.fediverse.FediverseClient;
import dev.gazette.fediverse.FediverseConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Sends the due rows of {@code fediverse_delivery} (an article's Create, Update after an edit, Delete once withdrawn),
 * each POSTed signed (with the scheme the host last accepted, draft-cavage when not known; the other on a 401) and
 * settled. Workers take a host's lease
 * ({@link DeliveryHosts}), claim up to {@value #HOST_BATCH} of its due rows and send them one after another, then take
 * the next host, until nothing is due: the cluster has one request in flight per host, and a node
 * {@code gazette.fediverse.delivery-concurrency} hosts at once. 2xx is DELIVERED; 5xx, 408, 429 and network failures
 * back the whole host off (its other rows wait without spending attempts) until {@code
 * gazette.fediverse.delivery-give-up-after} has passed since the row was planned, then FAILED; other answers FAILED
 * at once; a row whose inbox no follower reads any more is CANCELLED unsent. An answer clears the host's failure
 * streak at once, so a failure later in the same batch starts a new one.
 */
@ApplicationScoped
public class DeliverySender {

    static final int HOST_BATCH = 20;
    /**
     * How long a host's lease (and the claim of its rows) lasts unless renewed: a node that dies holds its hosts no
     * longer than this.
     */
    static final Duration LEASE = Duration.ofMinutes(2);
    /**
     * The longest one exchange can take: double-knock, two requests, each cut at twice the 10 s request timeout by the
     * HTTP client's guard, plus rendering and checks. A lease with less than this and a margin left is renewed (with
     * the claim of the batch's rows) before the next request, so it never runs out while a request is under way.
     */
    static final Duration EXCHANGE = Duration.ofSeconds(45);
    private static final Duration RENEW_BELOW = EXCHANGE.plusSeconds(30);
    /** How long stopping the application waits for requests under way before putting their rows back anyway. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    // The claimed rows move out of every other claim as far as the lease goes: when it ends unreleased (the node died),
    // they are due again for whoever takes the host next. An UPDATE returns rows in no set order, so they are sorted
    // again by when each was due: the batch is sent oldest first.
    static final String CLAIM = """
            with due as (
                select id, next_attempt_at from fediverse_delivery where host = :host and status in ('PENDING', 'RETRY')
                    and next_attempt_at <= :now
                    and exists (select 1 from fediverse_host h where h.host = :host and h.lease_owner = :owner
                        and h.lease_until > :now)
                order by next_attempt_at, id limit :batch for update skip locked),
            claimed as (
                update fediverse_delivery d set next_attempt_at = :lease from due where d.id = due.id
                returning d.id, d.article_id, d.kind, d.activity_id, d.inbox, d.host, d.attempts,
                    d.created_at <= :expired as expired)
            select c.* from claimed c join due on due.id = c.id order by due.next_attempt_at, due.id""";
    static final String STILL_FOLLOWED = """
            select exists (select 1 from fediverse_follower where coalesce(shared_inbox, inbox) = :inbox)""";
    // Only while this sender still holds the host's lease: a sender whose lease ran out (or was released as the
    // application stopped) must not overwrite what the host's next holder settled. Its outcome is lost, and the row,
    // still due, is sent again under the same activity id.
    private static final String HOLDER = " exists (select 1 from fediverse_host h where h.host = :host"
            + " and h.lease_owner = :owner)";
    private static final String SETTLE = """
            update fediverse_delivery set status = :status, attempts = :attempts, last_error = nullif(:error, ''),
                next_attempt_at = :next, delivered_at = case when :delivered then cast(:now as timestamptz) end
            where id = :id and status in ('PENDING', 'RETRY') and""" + HOLDER;
    // a Delete (or Create) overtaken by the article's state was never sent: gone, so a later change can plan it again
    private static final String DROP = "delete from fediverse_delivery where id = :id and status in ('PENDING', 'RETRY')"
            + " and" + HOLDER;

    private final EntityManager em;
    private final FediverseClient client;
    private final ArticleObjects articles;
    private final FediverseConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final ActorKeys keys;
    private final DeliveryHosts hosts;
    private final ExecutorService workers;
    /** How long one run may keep sending: a few intervals, then the next run carries on. */
    private final Duration budget;
    /** The batches being sent, each with its claimed rows not settled yet: what stopping puts back. */
    private final Set<Batch> batches = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    DeliverySender(EntityManager em, FediverseClient client, ArticleObjects articles, FediverseConfig config, Clock clock,
            MeterRegistry metrics, ActorKeys keys, DeliveryHosts hosts) {
        this.em = em;
        this.client = client;
        this.articles = articles;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.keys = keys;
        this.hosts = hosts;
        this.budget = config.deliveryInterval().multipliedBy(8);
        this.workers = Executors.newFixedThreadPool(Math.max(1, config.deliveryConcurrency()), r -> {
            Thread thread = new Thread(r, "fediverse-delivery");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A claimed row. */
    record Row(long id, long articleId, String kind, String activityId, String inbox, String host, int attempts,
            boolean expired, String owner) {
    }

    /**
     * A host's lease, when it ends, the ids of its claimed rows that are not settled yet, and whether the host answered
     * (with which scheme) since its state was last written.
     */
    private static final class Batch {
        final DeliveryHosts.Lease lease;
        final Set<Long> unsettled = ConcurrentHashMap.newKeySet();
        Instant leaseEnd;
        /** The row whose request is under way: never put back while it may still reach the host. */
        volatile Long inFlight;
        volatile boolean answered;
        volatile FediverseClient.Scheme scheme;

        Batch(DeliveryHosts.Lease lease, Instant leaseEnd) {
            this.lease = lease;
            this.leaseEnd = leaseEnd;
        }
    }

    /**
     * How one attempt ended for the host: it answered (having accepted a signature scheme, or null when none was
     * checked), it failed (back off), or nothing was sent.
     */
    private sealed interface Outcome {
        record Answered(FediverseClient.Scheme scheme) implements Outcome {
        }

        record HostFailed(String error) implements Outcome {
        }

        record NotSent() implements Outcome {
        }
    }

    /**
     * Sends until nothing is due, the run's time budget is spent or the application stops; returns how many rows were
     * claimed. Tests call it directly.
     */
    public int sendDue() {
        if (stopping) {
            return 0;
        }
        hosts.giveUpOnUnavailable();
        long deadline = System.nanoTime() + budget.toNanos();
        Optional<DeliveryHosts.Lease> first = hosts.take(clock.instant().plus(LEASE));
        if (first.isEmpty()) {
            return 0;
        }
        // the key is made on first use; made here once, so parallel hosts do not race to create it
        keys.current(ActorKeys.PUBLICATION);
        AtomicInteger claimed = new AtomicInteger();
        Map<String, Object> documents = new ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < Math.max(1, config.deliveryConcurrency()); i++) {
            DeliveryHosts.Lease lease = i == 0 ? first.get() : null;
            try {
                running.add(workers.submit(() -> work(lease, deadline, claimed, documents)));
            } catch (RejectedExecutionException e) {
                // stopping began since the check above: the host taken for the first worker goes back at once
                if (lease != null) {
                    hosts.release(lease, List.of());
                }
                break;
            }
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                // a row that could not be settled waits for its claim's lease to end; a later run tries it again
                Log.errorf(e.getCause(), "Fediverse deliveries to one host could not be settled");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return claimed.get();
    }

    /** Whether the application is shutting down: runs stop after the host in hand. */
    boolean stopping() {
        return stopping;
    }

    /** One worker: hosts one after another until none is free, the budget is spent or the application stops. */
    private void work(DeliveryHosts.Lease first, long deadline, AtomicInteger claimed, Map<String, Object> documents) {
        DeliveryHosts.Lease lease = first != null ? first : hosts.take(clock.instant().plus(LEASE)).orElse(null);
        while (lease != null) {
            claimed.addAndGet(sendToHost(lease, documents));
            if (stopping || System.nanoTime() >= deadline) {
                return;
            }
            lease = hosts.take(clock.instant().plus(LEASE)).orElse(null);
        }
    }

    private int sendToHost(DeliveryHosts.Lease lease, Map<String, Object> documents) {
        Instant now = clock.instant();
        // the end the lease was taken with, not a later one: the renewal is judged against what the database holds
        Batch batch = new Batch(lease, lease.until());
        batches.add(batch);
        try {
            @SuppressWarnings("unchecked")
            List<Object[]> claimed = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(CLAIM)
                    .setParameter("lease", batch.leaseEnd).setParameter("now", now).setParameter("host", lease.host())
                    .setParameter("owner", lease.owner())
                    .setParameter("batch", lease.probe() ? 1 : HOST_BATCH)
                    .setParameter("expired", now.minus(config.deliveryGiveUpAfter())).getResultList());
            claimed.forEach(r -> batch.unsettled.add(((Number) r[0]).longValue()));
            sendBatch(batch, claimed, documents);
            return claimed.size();
        } finally {
            // rows left unsettled (stopping, or the lease lost) are put back; the host is due by its rows again
            try {
                hosts.release(lease, batch.unsettled, batch.answered, batch.scheme);
            } finally {
                batches.remove(batch);
            }
        }
    }

    private void sendBatch(Batch batch, List<Object[]> claimed, Map<String, Object> documents) {
        DeliveryHosts.Lease lease = batch.lease;
        // the scheme the host is known to accept, tried first
        FediverseClient.Scheme scheme = lease.scheme();
        Instant retryAt = null;
        for (Object[] r : claimed) {
            Row row = new Row(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), (String) r[2], (String) r[3],
                    (String) r[4], (String) r[5], ((Number) r[6]).intValue(), (Boolean) r[7], lease.owner());
            try {
                if (retryAt != null) {
                    // the host just failed: its other rows wait with it, without spending an attempt
                    settle(row, row.attempts(), "RETRY", retryAt, "not tried: the host failed just before");
                    batch.unsettled.remove(row.id());
                    continue;
                }
                // marked before the checks: a stop that begins meanwhile sees the row and leaves it claimed, rather than
                // putting it back while this worker goes on to send it
                batch.inFlight = row.id();
                Outcome outcome;
                try {
                    if (stopping || !leaseCoversAnExchange(batch)) {
                        return;
                    }
                    outcome = send(row, documents, scheme);
                } finally {
                    batch.inFlight = null;
                }
                if (outcome instanceof Outcome.HostFailed failed) {
                    if (Thread.currentThread().isInterrupted()) {
                        // cut short by the application stopping, not by the host: the row is put back unsettled
                        return;
                    }
                    if (batch.answered) {
                        // the host answered earlier in this batch: that ends its old streak before this failure
                        // counts, which then starts a new one
                        hosts.answered(lease, batch.scheme);
                        batch.answered = false;
                    }
                    retryAt = hosts.failed(lease, failed.error());
                    hostFailed(row, failed.error(), retryAt);
                } else if (outcome instanceof Outcome.Answered a) {
                    // written with the release (one transaction less per host), or before a failure in this batch
                    batch.answered = true;
                    if (a.scheme() != null) {
                        batch.scheme = a.scheme();
                        scheme = a.scheme();
                    }
                }
                batch.unsettled.remove(row.id());
            } catch (RuntimeException e) {
                // not put back at once (it could fail again in a loop): it waits for the end of its claim's lease
                batch.unsettled.remove(row.id());
                Log.errorf(e, "Fediverse delivery %d could not be settled", row.id());
            }
        }
    }

    /**
     * Whether the lease lasts through one more exchange, renewing it when it would not; false when it is no longer this
     * node's (it ran out and another took the host): the rest of the batch is then left alone.
     */
    private boolean leaseCoversAnExchange(Batch batch) {
        Instant now = clock.instant();
        if (!batch.leaseEnd.minus(RENEW_BELOW).isBefore(now)) {
            return true;
        }
        Instant until = now.plus(LEASE);
        if (!hosts.renew(batch.lease, until, batch.unsettled)) {
            Log.warnf("Fediverse host %s: lease lost to another node mid-batch; its rows are left to it", batch.lease.host());
            batch.unsettled.clear();
            return false;
        }
        batch.leaseEnd = until;
        return true;
    }

    private void hostFailed(Row row, String error, Instant retryAt) {
        int attempts = row.attempts() + 1;
        if (row.expired()) {
            settle(row, attempts, "FAILED", null, error + "; given up after " + config.deliveryGiveUpAfter().toHours()
                    + " hours of failures");
        } else {
            settle(row, attempts, "RETRY", retryAt, error);
        }
    }

    /** One attempt at a row, settled unless the host failed (the caller backs the host off first). */
    private Outcome send(Row row, Map<String, Object> documents, FediverseClient.Scheme scheme) {
        int attempts = row.attempts() + 1;
        // one document per activity in a run: every inbox gets the same bytes
        boolean delete = "DELETE".equals(row.kind());
        Object document = documents.computeIfAbsent(row.activityId(), id -> QuarkusTransaction.requiringNew()
                .call(() -> Article.findByIdWithTopics(row.articleId())
                        .filter(a -> (a.status == ArticleStatus.PUBLISHED) != delete)
                        .<Object>map(a -> delete ? articles.deleteDocument(a, id)
                                : articles.createDocument(a, id, "UPDATE".equals(row.kind())))
                        .orElse(Boolean.FALSE)));
        if (!(document instanceof String body)) {
            drop(row, delete ? "the article is published again" : "the article is no longer published");
            return new Outcome.NotSent();
        }
        boolean followed = QuarkusTransaction.requiringNew().call(() -> (Boolean) em.createNativeQuery(STILL_FOLLOWED)
                .setParameter("inbox", row.inbox()).getSingleResult());
        if (!followed) {
            // nothing failed: cancelled, and not counted among failures
            settle(row, row.attempts(), "CANCELLED", null, "no follower reads this inbox any more");
            return new Outcome.NotSent();
        }
        URI inbox;
        try {
            inbox = URI.create(row.inbox());
        } catch (IllegalArgumentException e) {
            inbox = null;
        }
        // a user name in the address (rows planned before follower inboxes were checked) is refused by the HTTP
        // client before anything is sent: a fault of this row, not of the host, whose other rows go on
        if (inbox == null || inbox.getHost() == null || inbox.getRawUserInfo() != null
                || !("https".equalsIgnoreCase(inbox.getScheme()) || "http".equalsIgnoreCase(inbox.getScheme()))) {
            settle(row, attempts, "FAILED", null, "not a valid inbox URL");
            return new Outcome.NotSent();
        }
        FediverseClient.Attempt attempt = client.deliver(inbox, body,
                scheme != null ? scheme : FediverseClient.Scheme.CAVAGE);
        if (attempt instanceof FediverseClient.Attempt.Delivered d) {
            settle(row, attempts, "DELIVERED", null, null);
            return new Outcome.Answered(d.scheme());
        }
        if (attempt instanceof FediverseClient.Attempt.Failed f) {
            settle(row, attempts, "FAILED", null, f.error());
            // a refused address never reached the host; an HTTP answer did
            return f.error().startsWith("HTTP ") ? new Outcome.Answered(null) : new Outcome.NotSent();
        }
        return new Outcome.HostFailed(((FediverseClient.Attempt.Retry) attempt).error());
    }

    /**
     * A Create whose article was withdrawn, or a Delete whose article came back, before it was sent: nothing reached
     * the inbox, so the row goes, and the next change of state plans what it then needs.
     */
    private void drop(Row row, String reason) {
        Log.infof("Fediverse delivery %d of %s to %s dropped unsent: %s", row.id(), row.activityId(), row.host(), reason);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(DROP).setParameter("id", row.id())
                .setParameter("host", row.host()).setParameter("owner", row.owner()).executeUpdate());
    }

    private void settle(Row row, int attempts, String status, Instant next, String error) {
        Instant now = clock.instant();
        String trimmed = error == null ? "" : error.length() > 1000 ? error.substring(0, 1000) : error;
        int settled = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(SETTLE)
                .setParameter("status", status).setParameter("attempts", attempts).setParameter("error", trimmed)
                .setParameter("next", next != null ? next : now).setParameter("delivered", "DELIVERED".equals(status))
                .setParameter("now", now).setParameter("id", row.id()).setParameter("host", row.host())
                .setParameter("owner", row.owner()).executeUpdate());
        if (settled == 0) {
            // the lease was lost (it ran out, or the application stopped): the host's next holder sends the row again
            Log.warnf("Fediverse delivery %d of %s to %s: %s not recorded, the host's lease was lost; it will be sent"
                    + " again under the same id", row.id(), row.activityId(), row.host(), status);
            return;
        }
        if (!"DELIVERED".equals(status)) {
            Log.infof("Fediverse delivery %d of %s to %s: %s after %d attempt(s): %s", row.id(), row.activityId(),
                    row.host(), status, attempts, error);
        }
        if (attempts > row.attempts()) {
            metrics.counter("gazette_fediverse_deliveries_total", "kind", row.kind().toLowerCase(Locale.ROOT),
                    "outcome", status.toLowerCase(Locale.ROOT)).increment();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        shutdown(SHUTDOWN_WAIT);
    }

    /**
     * Stops sending: each worker ends its batch after the request under way, putting its claimed rows that were not sent
     * back to due now and releasing its host. Workers still busy after {@code wait} (a slow host) are interrupted and
     * their batches put back and released from here, so another node takes them at once rather than when the lease
     * ends. Best effort: a database that is gone leaves them to their leases.
     */
    void shutdown(Duration wait) {
        stopping = true;
        workers.shutdown();
        try {
            if (workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        for (Batch batch : batches) {
            try {
                // the request under way cannot be called back (socket I/O ignores the interrupt): its row stays claimed
                // until its lease's end, so the host's next holder does not send it a second time meanwhile
                Long inFlight = batch.inFlight;
                Set<Long> unsent = new HashSet<>(batch.unsettled);
                if (inFlight != null) {
                    unsent.remove(inFlight);
                }
                hosts.release(batch.lease, unsent, batch.answered, batch.scheme);
            } catch (RuntimeException e) {
                Log.warnf("Fediverse host %s left leased until its lease ends: %s", batch.lease.host(), e.getMessage());
            }
        }
    }

    @PreDestroy
    void close() {
        stopping = true;
        workers.shutdownNow();
    }
}
