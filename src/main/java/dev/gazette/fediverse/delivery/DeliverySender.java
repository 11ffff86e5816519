package dev.gazette.fediverse.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
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

/**
 * Sends the due rows of {@code fediverse_delivery} (an article's Create, Update after an edit, Delete once withdrawn): claimed in
 * small batches, each POSTed signed (draft-cavage, then RFC 9421 on a 401) and settled. 2xx is DELIVERED; 5xx, 408,
 * 429 and network failures are retried after 1, 2, 4 ... minutes (at most 6 hours apart) until
 * {@code gazette.fediverse.delivery-give-up-after} has passed since the row was planned, then FAILED; other answers
 * FAILED at once. Hosts are worked in parallel, each host's rows one after another, so a node has at most one request
 * in flight per host; after a host fails, its other claimed rows wait with it.
 */
@ApplicationScoped
public class DeliverySender {

    static final int BATCH = 100;
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    /** Longer than a batch can take: 50 rows of one host one after another, each exchange cut at 20 s. */
    static final Duration LEASE = Duration.ofMinutes(30);

    // the lease moves the claimed rows out of every other node's next claim until each attempt is settled
    private static final String CLAIM = """
            update fediverse_delivery d set next_attempt_at = :lease from (
                select id from fediverse_delivery where status in ('PENDING', 'RETRY') and next_attempt_at <= :now
                order by next_attempt_at limit :batch for update skip locked) due
            where d.id = due.id
            returning d.id, d.article_id, d.kind, d.activity_id, d.inbox, d.host, d.attempts, d.created_at <= :expired""";
    private static final String STILL_FOLLOWED = """
            select exists (select 1 from fediverse_follower where coalesce(shared_inbox, inbox) = :inbox)""";
    private static final String SETTLE = """
            update fediverse_delivery set status = :status, attempts = :attempts, last_error = nullif(:error, ''),
                next_attempt_at = :next, delivered_at = case when :delivered then cast(:now as timestamptz) end
            where id = :id""";

    private final EntityManager em;
    private final FediverseClient client;
    private final ArticleObjects articles;
    private final FediverseConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final ActorKeys keys;
    private final ExecutorService hosts;
    /** How long one run may keep sending: a few intervals, then the next run carries on. */
    private final Duration budget;
    private volatile boolean stopping;

    DeliverySender(EntityManager em, FediverseClient client, ArticleObjects articles, FediverseConfig config, Clock clock,
            MeterRegistry metrics, ActorKeys keys) {
        this.em = em;
        this.client = client;
        this.articles = articles;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.keys = keys;
        this.budget = config.deliveryInterval().multipliedBy(8);
        this.hosts = Executors.newFixedThreadPool(Math.max(1, config.deliveryConcurrency()), r -> {
            Thread thread = new Thread(r, "fediverse-delivery");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A claimed row. */
    record Row(long id, long articleId, String kind, String activityId, String inbox, String host, int attempts,
            boolean expired) {
    }

    /**
     * Claims and sends batches until nothing is due, the run's time budget is spent or the application stops; returns
     * how many rows were claimed. Tests call it directly.
     */
    public int sendDue() {
        long deadline = System.nanoTime() + budget.toNanos();
        int total = 0;
        int claimed;
        do {
            claimed = sendBatch();
            total += claimed;
        } while (claimed > 0 && !stopping && System.nanoTime() < deadline);
        return total;
    }

    /** Whether the application is shutting down: runs stop after the batch in hand. */
    boolean stopping() {
        return stopping;
    }

    private int sendBatch() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object[]> claimed = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(CLAIM)
                .setParameter("lease", now.plus(LEASE)).setParameter("now", now).setParameter("batch", BATCH)
                .setParameter("expired", now.minus(config.deliveryGiveUpAfter())).getResultList());
        Map<String, List<Row>> byHost = new LinkedHashMap<>();
        for (Object[] r : claimed) {
            Row row = new Row(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), (String) r[2], (String) r[3],
                    (String) r[4], (String) r[5], ((Number) r[6]).intValue(), (Boolean) r[7]);
            byHost.computeIfAbsent(row.host(), h -> new ArrayList<>()).add(row);
        }
        if (!claimed.isEmpty()) {
            // the key is made on first use; made here once, so parallel hosts do not race to create it
            keys.current(ActorKeys.PUBLICATION);
        }
        Map<String, Object> documents = new ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (List<Row> rows : byHost.values()) {
            running.add(hosts.submit(() -> sendToHost(rows, documents)));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                // the host's unsettled rows stay leased; a later run tries them again
                Log.errorf(e.getCause(), "Fediverse deliveries to one host could not be settled");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return claimed.size();
    }

    private void sendToHost(List<Row> rows, Map<String, Object> documents) {
        Instant hostRetryAt = null;
        for (Row row : rows) {
            try {
                if (hostRetryAt != null) {
                    // the host just failed: its other rows wait as long, without spending an attempt
                    settle(row, row.attempts(), "RETRY", hostRetryAt, "not tried: the host failed just before");
                } else {
                    hostRetryAt = send(row, documents);
                }
            } catch (RuntimeException e) {
                Log.errorf(e, "Fediverse delivery %d could not be settled", row.id());
            }
        }
    }

    /** One attempt at a row; returns when the host may be tried again if it failed in a way worth retrying. */
    private Instant send(Row row, Map<String, Object> documents) {
        int attempts = row.attempts() + 1;
        // one document per activity in a batch: every inbox gets the same bytes
        boolean delete = "DELETE".equals(row.kind());
        Object document = documents.computeIfAbsent(row.activityId(), id -> QuarkusTransaction.requiringNew()
                .call(() -> Article.findByIdWithTopics(row.articleId())
                        .filter(a -> a.status == (delete ? ArticleStatus.UNPUBLISHED : ArticleStatus.PUBLISHED))
                        .<Object>map(a -> delete ? articles.deleteDocument(a, id)
                                : articles.createDocument(a, id, "UPDATE".equals(row.kind())))
                        .orElse(Boolean.FALSE)));
        if (!(document instanceof String body)) {
            settle(row, row.attempts(), "FAILED", null,
                    delete ? "the article is published again" : "the article is no longer published");
            return null;
        }
        boolean followed = QuarkusTransaction.requiringNew().call(() -> (Boolean) em.createNativeQuery(STILL_FOLLOWED)
                .setParameter("inbox", row.inbox()).getSingleResult());
        if (!followed) {
            settle(row, row.attempts(), "FAILED", null, "no follower reads this inbox any more");
            return null;
        }
        URI inbox;
        try {
            inbox = URI.create(row.inbox());
        } catch (IllegalArgumentException e) {
            settle(row, attempts, "FAILED", null, "not a valid inbox URL");
            return null;
        }
        FediverseClient.Attempt attempt = client.deliver(inbox, body);
        if (attempt instanceof FediverseClient.Attempt.Delivered) {
            settle(row, attempts, "DELIVERED", null, null);
            return null;
        }
        if (attempt instanceof FediverseClient.Attempt.Failed || row.expired()) {
            String error = attempt instanceof FediverseClient.Attempt.Failed f ? f.error()
                    : ((FediverseClient.Attempt.Retry) attempt).error() + "; given up after "
                            + config.deliveryGiveUpAfter().toHours() + " hours of failures";
            settle(row, attempts, "FAILED", null, error);
            return null;
        }
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempts - 1, 20));
        Instant next = clock.instant().plus(delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay);
        settle(row, attempts, "RETRY", next, ((FediverseClient.Attempt.Retry) attempt).error());
        return next;
    }

    private void settle(Row row, int attempts, String status, Instant next, String error) {
        Instant now = clock.instant();
        if (!"DELIVERED".equals(status)) {
            Log.infof("Fediverse delivery %d of %s to %s: %s after %d attempt(s): %s", row.id(), row.activityId(),
                    row.host(), status, attempts, error);
        }
        if (attempts > row.attempts()) {
            metrics.counter("gazette_fediverse_deliveries_total", "kind", row.kind().toLowerCase(Locale.ROOT),
                    "outcome", status.toLowerCase(Locale.ROOT)).increment();
        }
        String trimmed = error == null ? "" : error.length() > 1000 ? error.substring(0, 1000) : error;
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(SETTLE).setParameter("status", status)
                .setParameter("attempts", attempts).setParameter("error", trimmed)
                .setParameter("next", next != null ? next : now).setParameter("delivered", "DELIVERED".equals(status))
                .setParameter("now", now).setParameter("id", row.id()).executeUpdate());
    }

    @PreDestroy
    void close() {
        stopping = true;
        hosts.shutdownNow();
    }
}
