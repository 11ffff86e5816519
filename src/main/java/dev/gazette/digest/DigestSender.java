package dev.gazette.digest;

import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.gazette.common.SignedTokens;
import dev.gazette.mail.MailService;
import dev.gazette.mail.SmtpReply;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Sends due deliveries. Each instance runs one sender loop: claim a batch from the ledger (SKIP LOCKED, with a lease),
 * select every reader's articles in one query, re-check suppression, render and hand each message to the SMTP client
 * with at most {@code concurrency} in flight. A message's permit is released only once its outcome is committed, so
 * after a crash at most {@code concurrency} messages were accepted by the SMTP server but not recorded: those are sent
 * again when their lease runs out (the documented at-least-once edge); everything else is sent exactly once.
 */
@ApplicationScoped
public class DigestSender {

    private static final Duration IDLE_POLL = Duration.ofSeconds(1);

    private final DeliveryLedger ledger;
    private final DigestAssembler assembler;
    private final MailService mail;
    private final SuppressionService suppressions;
    private final DigestConfig config;
    private final Clock clock;
    private final String instance;
    private final Semaphore permits;
    private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong unrecorded = new AtomicLong();
    private final Bucket rate;
    private final Map<DeliveryStatus, Counter> counters = new HashMap<>();
    private final Counter recovered;
    private Thread loop;
    private Thread recorder;
    private Thread renewer;
    private volatile Instant lastMaintenance = Instant.EPOCH;

    DigestSender(DeliveryLedger ledger, DigestAssembler assembler, MailService mail, SuppressionService suppressions,
            DigestConfig config, Clock clock, MeterRegistry metrics) {
        this.ledger = ledger;
        this.assembler = assembler;
        this.mail = mail;
        this.suppressions = suppressions;
        this.config = config;
        this.clock = clock;
        this.instance = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.permits = new Semaphore(config.concurrency());
        this.rate = config.rate() > 0 ? Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(Math.max(1, (long) Math.ceil(config.rate())))
                .refillGreedy(Math.max(1, (long) Math.ceil(config.rate())), Duration.ofSeconds(1)).build()).build() : null;
        for (DeliveryStatus status : List.of(DeliveryStatus.SENT, DeliveryStatus.RETRY, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)) {
            counters.put(status, Counter.builder("gazette.digest.deliveries").description("Digest deliveries by outcome")
                    .tag("outcome", status.name().toLowerCase()).register(metrics));
        }
        this.recovered = Counter.builder("gazette.digest.leases.expired")
                .description("Deliveries whose sender stopped while sending them; they were sent again").register(metrics);
    }

    /** What happened to one message, on its way to the ledger. */
    private record Result(DeliveryLedger.Outcome outcome, String suppressEmail, String reason, boolean holdsPermit) {
    }

    void start(@Observes StartupEvent event) {
        recorder = daemon("digest-recorder", this::recordLoop);
        // Leases are renewed on their own clock, not between batches: a slow SMTP server must not let another
        // sender take over messages this one is still sending.
        renewer = daemon("digest-lease-renewer", this::renewLoop);
        if (config.senderEnabled()) {
            running.set(true);
            loop = daemon("digest-sender", this::sendLoop);
            Log.infof("Digest sender %s started (%d in flight at most%s)", instance, config.concurrency(),
                    config.rate() > 0 ? ", " + config.rate() + " messages/s" : "");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running.set(false);
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Let the messages in flight finish and their outcomes reach the ledger.
        try {
            if (permits.tryAcquire(config.concurrency(), 15, TimeUnit.SECONDS)) {
                permits.release(config.concurrency());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (recorder != null) {
            recorder.interrupt();
        }
        if (renewer != null) {
            renewer.interrupt();
        }
    }

    private void renewLoop() {
        long every = Math.max(100, config.lease().toMillis() / 3);
        while (true) {
            try {
                Thread.sleep(every);
                ledger.heartbeat(instance, clock.instant());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                Log.warnf(e, "Renewing digest leases failed; retrying");
            }
        }
    }

    private void sendLoop() {
        while (running.get()) {
            try {
                if (sendBatch() == 0) {
                    Thread.sleep(IDLE_POLL.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                Log.errorf(e, "Digest sender failed; retrying in 5 s");
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Sends everything due now and waits until each outcome is in the ledger. The background loop does the same
     * continuously; tests and tools call this directly.
     */
    public int sendDue() throws InterruptedException, SQLException {
        int total = 0;
        int sent;
        do {
            sent = sendBatch();
            total += sent;
        } while (sent > 0);
        awaitRecorded();
        return total;
    }

    /** Blocks until every outcome so far is committed. */
    public void awaitRecorded() throws InterruptedException {
        while (unrecorded.get() > 0) {
            Thread.sleep(5);
        }
    }

    /** Queues an outcome whose message was counted in {@link #unrecorded} when it was handed out. */
    private void submit(Result result) {
        results.add(result);
    }

    /** Claims and sends one batch; returns the number of deliveries claimed. */
    int sendBatch() throws InterruptedException, SQLException {
        maintain();
        Instant now = clock.instant();
        List<DeliveryLedger.Claim> claims = ledger.claim(instance, config.batchSize(), now);
        if (claims.isEmpty()) {
            return 0;
        }
        Map<Long, List<DeliveryLedger.Claim>> byIssue = new LinkedHashMap<>();
        for (DeliveryLedger.Claim claim : claims) {
            byIssue.computeIfAbsent(claim.issueId(), k -> new ArrayList<>()).add(claim);
        }
        for (Map.Entry<Long, List<DeliveryLedger.Claim>> entry : byIssue.entrySet()) {
            sendIssueBatch(assembler.context(entry.getKey()), entry.getValue(), now);
        }
        return claims.size();
    }

    private void sendIssueBatch(IssueContext context, List<DeliveryLedger.Claim> claims, Instant now)
            throws InterruptedException, SQLException {
        List<Long> ids = new ArrayList<>(claims.size());
        List<Long> subscribers = new ArrayList<>(claims.size());
        List<Instant> dues = new ArrayList<>(claims.size());
        Map<String, String> hashes = new HashMap<>();
        SignedTokens.Hasher hasher = suppressions.hasher();
        for (DeliveryLedger.Claim claim : claims) {
            ids.add(claim.id());
            subscribers.add(claim.subscriberId());
            dues.add(claim.dueAt());
            hashes.put(claim.emailKey(), hasher.hash(claim.emailKey()));
        }
        Set<String> suppressed = ledger.suppressed(new HashSet<>(hashes.values()));
        DeliveryLedger.Selection selection = ledger.select(context.scope, ids, subscribers, dues, config.maxLookback());
        Set<Long> articleIds = new HashSet<>();
        selection.articles().values().forEach(articleIds::addAll);
        assembler.prepare(context, articleIds);

        for (DeliveryLedger.Claim claim : claims) {
            if (suppressed.contains(hashes.get(claim.emailKey())) || !"ACTIVE".equals(claim.subscriberStatus())) {
                finish(claim, DeliveryStatus.SKIPPED, "not sent: the address is suppressed or no longer subscribed", 0);
                continue;
            }
            if (claim.pausedUntil() != null && claim.pausedUntil().isAfter(claim.dueAt())) {
                finish(claim, DeliveryStatus.SKIPPED, "not sent: the reader paused their digests", 0);
                continue;
            }
            if (context.unfitHeader != null) {
                finish(claim, DeliveryStatus.FAILED, "not sent: the newsletter's " + context.unfitHeader
                        + " contains control characters (saved before they were refused); correct it and send the issue again", 0);
                continue;
            }
            List<Long> articles = selection.of(claim.id());
            Mail message = articles.isEmpty() ? null : assembler.message(context,
                    new DigestAssembler.Reader(claim.id(), claim.subscriberId(), claim.email(), claim.name()), articles);
            if (message == null) {
                finish(claim, DeliveryStatus.SKIPPED, "nothing new in the reader's topics", 0);
                continue;
            }
            if (rate != null) {
                rate.asBlocking().consume(1);
            }
            permits.acquire();
            unrecorded.incrementAndGet();
            int count = articles.size();
            try {
                mail.sendAsync(message).whenComplete((ok, failure) -> submit(
                        failure == null ? sent(claim, count) : failed(claim, failure, count)));
            } catch (RuntimeException e) {
                submit(failed(claim, e, count));
            }
        }
    }

    private void finish(DeliveryLedger.Claim claim, DeliveryStatus status, String note, int articles) {
        unrecorded.incrementAndGet();
        submit(new Result(new DeliveryLedger.Outcome(claim.id(), status, null, null, note, articles), null, null, false));
    }

    private Result sent(DeliveryLedger.Claim claim, int articles) {
        return new Result(new DeliveryLedger.Outcome(claim.id(), DeliveryStatus.SENT, clock.instant(), null, null, articles), null, null, true);
    }

    private Result failed(DeliveryLedger.Claim claim, Throwable failure, int articles) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        mail.recordFailure("digest", "digest delivery " + claim.id() + " (attempt " + claim.attempts() + ")", cause);
        SmtpReply reply = SmtpReply.of(cause);
        Instant now = clock.instant();
        if (reply.permanent()) {
            String suppress = reply.recipientRejected() ? claim.email() : null;
            return new Result(new DeliveryLedger.Outcome(claim.id(), DeliveryStatus.FAILED, null, null, reply.text(), articles),
                    suppress, reply.text(), true);
        }
        if (claim.attempts() >= config.maxAttempts()) {
            return new Result(new DeliveryLedger.Outcome(claim.id(), DeliveryStatus.FAILED, null, null,
                    "gave up after " + claim.attempts() + " attempts: " + reply.text(), articles), null, null, true);
        }
        Instant retryAt = now.plus(backoff(claim.attempts()));
        return new Result(new DeliveryLedger.Outcome(claim.id(), DeliveryStatus.RETRY, null, retryAt, reply.text(), articles), null, null, true);
    }

    /** Doubling back-off from the configured base, with up to 20% jitter so retries of one outage spread out. */
    Duration backoff(int attempts) {
        long base = config.retryBackoff().toMillis() << Math.min(10, Math.max(0, attempts - 1));
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(Math.max(1, base / 5)));
    }

    /** Writes outcomes as they arrive, in batches, then frees the permits of the messages they cover. */
    private void recordLoop() {
        List<Result> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(results.take());
                results.drainTo(batch, 999);
                writeUntilStored(batch);
            } catch (InterruptedException e) {
                if (results.isEmpty()) {
                    return;
                }
            }
            releasePermits(batch);
            unrecorded.addAndGet(-batch.size());
            batch.clear();
        }
    }

    /**
     * Outcomes must reach the ledger: while this sender lives its rows are its own, so an outcome given up on would
     * leave them SENDING. Retries with growing pauses (a lock conflict, a database restart); sending waits meanwhile.
     */
    private void writeUntilStored(List<Result> batch) throws InterruptedException {
        long pause = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                write(batch);
                return;
            } catch (Exception e) {
                if (attempt == 1 || attempt % 10 == 0) {
                    Log.errorf(e, "Recording %d digest outcomes failed (attempt %d); retrying", batch.size(), attempt);
                }
                Thread.sleep(pause);
                pause = Math.min(5000, pause * 2);
            }
        }
    }

    private void write(List<Result> batch) throws SQLException {
        List<DeliveryLedger.Outcome> outcomes = new ArrayList<>(batch.size());
        for (Result r : batch) {
            outcomes.add(r.outcome());
        }
        ledger.record(instance, outcomes);
        for (Result r : batch) {
            counters.get(r.outcome().status()).increment();
            if (r.suppressEmail() != null) {
                try {
                    suppressions.suppress(r.suppressEmail(), SuppressionReason.HARD_BOUNCE, "SMTP: " + r.reason());
                } catch (RuntimeException e) {
                    Log.errorf(e, "Suppressing a hard-bounced address failed (delivery %d)", r.outcome().id());
                }
            }
        }
    }

    private void releasePermits(List<Result> batch) {
        int held = 0;
        for (Result r : batch) {
            if (r.holdsPermit()) {
                held++;
            }
        }
        if (held > 0) {
            permits.release(held);
        }
    }

    /** Takes over rows whose sender died (lease run out); at most every third of a lease. */
    private void maintain() throws SQLException {
        Instant now = clock.instant();
        Duration every = config.lease().dividedBy(3);
        if (lastMaintenance.plus(every).isAfter(now) && !lastMaintenance.isAfter(now)) {
            return;
        }
        lastMaintenance = now;
        int taken = ledger.recoverExpired(now, config.lease(), config.maxAttempts());
        if (taken > 0) {
            recovered.increment(taken);
            Log.warnf("%d deliveries were left SENDING by a sender that stopped; they go out again", taken);
        }
    }

    /** Forces lease maintenance on the next batch (tests move the clock). */
    public void maintainNow() {
        lastMaintenance = Instant.EPOCH;
    }

    public String instance() {
        return instance;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "gazette";
        }
    }
}
