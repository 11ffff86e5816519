package dev.gazette.social;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import dev.gazette.article.ArticlePublished;
import dev.gazette.common.EditorTemplates;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.PublishResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes due distributions. Each round: settles rows a crashed publisher left PUBLISHING, creates the posts of
 * articles and digest issues that lack them (a crash between publication and this step loses nothing), claims due
 * rows, and posts them — one at a time per channel, at most {@code gazette.social.concurrency-per-network} at once
 * per network.
 */
@ApplicationScoped
public class SocialPublisher {

    private final DistributionLedger ledger;
    private final Connectors connectors;
    private final ChannelService channels;
    private final PostComposer composer;
    private final SocialConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final String instance = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<Network, Semaphore> permits = new EnumMap<>(Network.class);
    private final ExecutorService workers;

    SocialPublisher(DistributionLedger ledger, Connectors connectors, ChannelService channels, PostComposer composer,
            SocialConfig config, Clock clock, MeterRegistry metrics) {
        this.ledger = ledger;
        this.connectors = connectors;
        this.channels = channels;
        this.composer = composer;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        for (Network n : Network.values()) {
            permits.put(n, new Semaphore(Math.max(1, config.concurrencyPerNetwork())));
        }
        this.workers = Executors.newFixedThreadPool(Math.max(2, config.concurrencyPerNetwork() * 2), r -> {
            Thread t = new Thread(r, "gazette-social");
            t.setDaemon(true);
            return t;
        });
    }

    void onStart(@Observes StartupEvent event) {
        int resealed = channels.resealAll();
        if (resealed > 0) {
            Log.infof("Sealed the credentials of %d channel(s) again under the current credential key", resealed);
        }
    }

    /** Creates the article's posts as soon as its publication is committed; the next round sends them. */
    void onPublished(@Observes(during = TransactionPhase.AFTER_SUCCESS) ArticlePublished event) {
        try {
            Instant now = clock.instant();
            ledger.createForArticles(event.articleId(), now.minus(config.catchUp()), now);
        } catch (RuntimeException e) {
            Log.warnf(e, "Could not create the posts of article %d now; the next publisher round will", event.articleId());
        }
    }

    @Scheduled(identity = "publish-social", every = "${gazette.social.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.publisherEnabled()) {
            publishDue();
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
    }

    /** One round; returns the number of posts attempted. Tests call it directly. */
    public int publishDue() {
        Instant now = clock.instant();
        recoverInterrupted(now);
        ledger.endPauses(now);
        ledger.createForArticles(null, now.minus(config.catchUp()), now);
        ledger.createForIssues(now.minus(config.catchUp()), now);
        List<DistributionLedger.Claim> claims = ledger.claim(instance, now, config.batchSize());
        Map<Long, List<DistributionLedger.Claim>> byChannel = new LinkedHashMap<>();
        claims.forEach(c -> byChannel.computeIfAbsent(c.channelId(), k -> new ArrayList<>()).add(c));
        List<Future<?>> running = new ArrayList<>();
        for (List<DistributionLedger.Claim> group : byChannel.values()) {
            running.add(workers.submit(() -> publishChannel(group)));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Log.error("A social publishing task failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return claims.size();
    }

    private void recoverInterrupted(Instant now) {
        for (DistributionLedger.Interrupted row : ledger.interrupted(now, config.lease())) {
            Duration window = connectors.find(row.network()).map(Connector::idempotencyWindow).orElse(Duration.ZERO);
            // repeat only well inside the window in which the network recognises the key (5 minutes to spare)
            boolean retry = !window.isZero() && row.claimedAt().plus(window).minus(Duration.ofMinutes(5)).isAfter(now);
            String reason = retry
                    ? "Publishing was interrupted; retried with the same idempotency key, which " + row.network().utmSource()
                            + " recognises"
                    : "Publishing was interrupted (the server stopped mid-call), so whether the network has the post is unknown";
            if (ledger.settleInterrupted(row.id(), row.claimedAt(), retry, reason, now)) {
                metrics.counter("gazette_social_interrupted_total", "network", row.network().utmSource(), "outcome",
                        retry ? "retried" : "unconfirmed").increment();
                Log.warnf("Distribution %d was left PUBLISHING by a stopped publisher: %s", row.id(), retry ? "retrying" : "UNCONFIRMED");
            }
        }
    }

    private void publishChannel(List<DistributionLedger.Claim> group) {
        Semaphore permit = permits.get(group.get(0).network());
        try {
            permit.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.forEach(c -> ledger.release(c.id(), clock.instant(), instance, clock.instant()));
            return;
        }
        try {
            for (DistributionLedger.Claim claim : group) {
                if (!publishOne(claim)) {
                    // the channel stopped (rate limit, credentials): the rest wait for it
                    group.subList(group.indexOf(claim) + 1, group.size())
                            .forEach(c -> ledger.release(c.id(), clock.instant(), instance, clock.instant()));
                    break;
                }
            }
        } finally {
            permit.release();
        }
    }

    /** Posts one claimed row; false when its channel can post nothing more for now. */
    private boolean publishOne(DistributionLedger.Claim claim) {
        Instant now = clock.instant();
        Channel channel = QuarkusTransaction.requiringNew().call(() -> Channel.findById(claim.channelId()));
        Distribution d = QuarkusTransaction.requiringNew().call(() -> Distribution.findById(claim.id()));
        Instant allowed = nextPostingTime(channel, now);
        if (allowed.isAfter(now)) {
            ledger.release(claim.id(), allowed, instance, now);
            return true;
        }
        Connector connector = connectors.get(channel.network);
        PublishResult result;
        try {
            PostComposer.Composed composed = composer.compose(d, channel, connector, d.postText);
            if (d.postText == null) {
                ledger.prepared(d.id, composed.post().text(), composed.linkId(), now);
            }
            result = connector.publish(channels.access(channel), composed.post());
        } catch (EditorTemplates.Refused e) {
            // the channel's template fails with this article: nothing was sent, and trying again would fail again
            result = new PublishResult.Rejected("The post template " + e.getMessage());
        } catch (RuntimeException e) {
            // a bug or an unreadable channel before anything was sent: retry later, bounded by the attempts
            Log.errorf(e, "Could not prepare distribution %d", claim.id());
            result = new PublishResult.Retryable(null, false, "Gazette could not prepare the post: " + e.getMessage());
        }
        Instant after = clock.instant();
        ledger.record(claim, instance, result, after, after.plus(backoff(claim.attempts())), config.maxAttempts());
        metrics.counter("gazette_social_posts_total", "network", claim.network().utmSource(), "outcome", outcome(result))
                .increment();
        if (!(result instanceof PublishResult.Published)) {
            Log.infof("Distribution %d to %s: %s", claim.id(), claim.network().utmSource(), result);
        }
        return !(result instanceof PublishResult.AuthExpired)
                && !(result instanceof PublishResult.Retryable r && r.channelWide());
    }

    /** Exponential: base × 2^(attempt−1), capped, with ±25% jitter so failed posts do not return in step. */
    Duration backoff(int attempt) {
        long base = config.retryBackoff().toMillis();
        long capped = Math.min(config.maxBackoff().toMillis(), base << Math.min(20, Math.max(0, attempt - 1)));
        return Duration.ofMillis((long) (capped * (0.75 + ThreadLocalRandom.current().nextDouble() * 0.5)));
    }

    /** {@code now} inside the channel's posting hours, else the start of the next window. */
    static Instant nextPostingTime(Channel c, Instant now) {
        if (c.postFrom == null || c.postUntil == null) {
            return now;
        }
        ZoneId zone = ZoneId.of(c.timeZone);
        ZonedDateTime local = now.atZone(zone);
        LocalTime t = local.toLocalTime();
        boolean inside = c.postFrom.isBefore(c.postUntil)
                ? !t.isBefore(c.postFrom) && t.isBefore(c.postUntil)
                : !t.isBefore(c.postFrom) || t.isBefore(c.postUntil);
        if (inside) {
            return now;
        }
        ZonedDateTime start = local.toLocalDate().atTime(c.postFrom).atZone(zone);
        return (start.isAfter(local) ? start : local.toLocalDate().plusDays(1).atTime(c.postFrom).atZone(zone)).toInstant();
    }

    private static String outcome(PublishResult result) {
        return result.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "gazette";
        }
    }
}
