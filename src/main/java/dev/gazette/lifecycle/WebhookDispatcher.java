package dev.gazette.lifecycle;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.common.WebhookSignature;
import dev.gazette.social.spi.RateLimits;
import dev.gazette.social.spi.SocialHttp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Delivers events to webhook endpoints: each worker claims one due delivery at a time (so a lease covers exactly one
 * request), posts {@code {id, type, createdAt, data}} signed with the endpoint's secret, and settles the row. 2xx is
 * delivered; 408, 429, 5xx, timeouts and connection errors are retried with exponential back-off; other answers fail
 * for good. Failures in a row pause the endpoint.
 */
@ApplicationScoped
public class WebhookDispatcher {

    static final String EVENT_HEADER = "X-Gazette-Event";
    static final String DELIVERY_HEADER = "X-Gazette-Delivery";
    private static final int WORKERS = 4;

    private static final String LOAD = """
            select d.endpoint_id, d.delivery_id, d.attempts, e.public_id, e.type, e.created_at, cast(e.data as text), w.url,
                   w.secret
            from webhook_delivery d join event e on e.id = d.event_id join webhook_endpoint w on w.id = d.endpoint_id
            where d.id = :id""";

    private final WebhookLedger ledger;
    private final WebhookEndpoints endpoints;
    private final WebhookClient client;
    private final WebhooksConfig config;
    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final String instance = "webhooks-" + UUID.randomUUID().toString().substring(0, 8);
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "gazette-webhooks");
        t.setDaemon(true);
        return t;
    });

    WebhookDispatcher(WebhookLedger ledger, WebhookEndpoints endpoints, WebhookClient client, WebhooksConfig config,
            EntityManager em, ObjectMapper json, Clock clock, MeterRegistry metrics) {
        this.ledger = ledger;
        this.endpoints = endpoints;
        this.client = client;
        this.config = config;
        this.em = em;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** What one delivery sends. */
    record Work(long id, long endpointId, String deliveryId, int attempts, String type, String body, String url,
            String secret) {
    }

    @Scheduled(identity = "deliver-webhooks", every = "${gazette.webhooks.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.dispatcherEnabled()) {
            deliverDue();
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
    }

    /** One round: at most {@code batch-size} deliveries attempted; returns how many. Tests call it directly. */
    public int deliverDue() {
        AtomicInteger budget = new AtomicInteger(config.batchSize());
        AtomicInteger attempted = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            running.add(workers.submit(() -> {
                while (budget.getAndDecrement() > 0) {
                    List<Long> claimed = ledger.claim(instance, clock.instant(), config.lease(), 1);
                    if (claimed.isEmpty()) {
                        return;
                    }
                    attempted.incrementAndGet();
                    try {
                        deliver(claimed.get(0));
                    } catch (RuntimeException e) {
                        // the row stays claimed: its lease runs out and a later run sends it
                        Log.errorf(e, "Webhook delivery %d could not be settled", claimed.get(0));
                    }
                }
            }));
        }
        for (Future<?> task : running) {
            try {
                task.get();
            } catch (ExecutionException e) {
                Log.errorf(e.getCause(), "A webhook worker stopped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return attempted.get();
            }
        }
        return attempted.get();
    }

    private void deliver(long id) {
        Work work;
        try {
            work = load(id);
        } catch (RuntimeException e) {
            // an unreadable row (a secret sealed under a key no longer configured): failed for good, with the reason
            Log.warnf("Webhook delivery %d cannot be prepared: %s", id, e.getMessage());
            ledger.failed(id, endpointOf(id), instance, null, "Cannot be prepared: " + e.getMessage(), null,
                    config.pauseAfterFailures(), clock.instant());
            count("unknown", "failed");
            return;
        }
        Instant sentAt = clock.instant();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(work.url()))
                .header("Content-Type", "application/json")
                .header(EVENT_HEADER, work.type())
                .header(DELIVERY_HEADER, work.deliveryId())
                .header(WebhookSignature.HEADER, WebhookSignature.header(work.secret(), sentAt.getEpochSecond(), work.body()))
                .POST(HttpRequest.BodyPublishers.ofString(work.body()));
        SocialHttp.Response response;
        try {
            response = client.http().send(request);
        } catch (SocialHttp.NotSent e) {
            settle(work, null, e.getMessage(), e.permanent() ? null : retryAt(work, null));
            return;
        } catch (SocialHttp.OutcomeUnknown e) {
            settle(work, null, e.getMessage(), retryAt(work, null));
            return;
        } catch (IllegalArgumentException e) {
            settle(work, null, "Not a valid URL: " + e.getMessage(), null);
            return;
        }
        int status = response.status();
        Instant now = clock.instant();
        if (response.ok()) {
            ledger.delivered(work.id(), work.endpointId(), instance, status, now);
            count(work.type(), "delivered");
            return;
        }
        String error = "HTTP " + status + (response.body() == null || response.body().isBlank() ? ""
                : ": " + response.body().strip());
        boolean retryable = status == 408 || status == 429 || status >= 500;
        Instant asked = status == 429 ? RateLimits.retryAfter(response, now).orElse(null) : null;
        settle(work, status, error, retryable ? retryAt(work, asked) : null);
    }

    /** When to try again, or null when attempts are used up. */
    private Instant retryAt(Work work, Instant asked) {
        if (work.attempts() >= config.maxAttempts()) {
            return null;
        }
        long factor = 1L << Math.min(work.attempts() - 1, 20);
        Duration delay = config.retryBackoff().multipliedBy(factor);
        if (delay.compareTo(config.maxBackoff()) > 0) {
            delay = config.maxBackoff();
        }
        Instant next = clock.instant().plus(delay);
        return asked != null && asked.isAfter(next) ? asked : next;
    }

    private void settle(Work work, Integer code, String error, Instant next) {
        boolean paused = ledger.failed(work.id(), work.endpointId(), instance, code, error, next, config.pauseAfterFailures(),
                clock.instant());
        count(work.type(), next == null ? "failed" : "retry");
        if (paused) {
            Log.warnf("Webhook endpoint %d paused after %d failed deliveries in a row; last: %s", work.endpointId(),
                    config.pauseAfterFailures(), error);
        }
    }

    private Work load(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) em.createNativeQuery(LOAD).setParameter("id", id).getSingleResult();
            long endpointId = ((Number) row[0]).longValue();
            String type = (String) row[4];
            String body = "{\"id\":" + json.writeValueAsString(row[3].toString()) + ",\"type\":" + json.writeValueAsString(type)
                    + ",\"createdAt\":" + json.writeValueAsString(instant(row[5]).toString()) + ",\"data\":" + row[6] + "}";
            return new Work(id, endpointId, row[1].toString(), ((Number) row[2]).intValue(), type, body, (String) row[7],
                    endpoints.secret((byte[]) row[8]));
        });
    }

    private long endpointOf(long id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select endpoint_id from webhook_delivery where id = :id").setParameter("id", id).getSingleResult()).longValue());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }

    private void count(String type, String outcome) {
        Counter.builder("gazette.webhooks.deliveries").description("Webhook delivery attempts by event type and outcome")
                .tag("type", type).tag("outcome", outcome).register(metrics).increment();
    }
}
