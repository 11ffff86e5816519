package dev.gazette.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Takes clicks and previews off the request path: the redirect only puts an event in a bounded queue, and a writer
 * thread stores the queue in batches every {@code gazette.links.flush-interval}. A flood cannot exhaust memory: when
 * the queue is full the redirect waits for room (back-pressure, {@code gazette.links.full-queue-wait}), and only then
 * is the event dropped and counted. A graceful shutdown writes what is left.
 */
@Singleton
public class ClickRecorder extends BatchingQueue<ClickEvent> {

    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final ClickWriter writer;
    private final VisitorHasher hasher;
    private final Clock clock;
    private final Counter droppedFull;
    private final Counter delayed;
    private final Counter clicksRecorded;
    private final Counter clicksDuplicate;
    private final Counter previewsRecorded;
    private Instant lastPrune = Instant.EPOCH;

    ClickRecorder(ClickWriter writer, VisitorHasher hasher, LinksConfig config, Clock clock, MeterRegistry registry) {
        super("click writer", config, Counter.builder("gazette.links.clicks.dropped").tag("reason", "write-failed")
                .description("Clicks and previews not recorded").register(registry));
        this.writer = writer;
        this.hasher = hasher;
        this.clock = clock;
        droppedFull = Counter.builder("gazette.links.clicks.dropped").tag("reason", "queue-full")
                .description("Clicks and previews not recorded").register(registry);
        delayed = Counter.builder("gazette.links.clicks.delayed")
                .description("Redirects that waited for room in the full click queue (back-pressure)").register(registry);
        clicksRecorded = Counter.builder("gazette.links.clicks.recorded")
                .description("Clicks stored, after de-duplication").register(registry);
        clicksDuplicate = Counter.builder("gazette.links.clicks.duplicate")
                .description("Clicks not counted again: same visitor, link and window").register(registry);
        previewsRecorded = Counter.builder("gazette.links.previews.recorded")
                .description("Link previews fetched by bots and unfurlers").register(registry);
        Gauge.builder("gazette.links.queue.size", this, ClickRecorder::queued)
                .description("Clicks and previews waiting to be written").register(registry);
    }

    /**
     * The event a redirect stands for: a preview when the User-Agent is a bot's, else a click by the visitor the IP
     * address and User-Agent hash to. The address itself goes no further than the hash.
     */
    public ClickEvent event(long linkId, String ip, String userAgent) {
        Instant now = clock.instant();
        if (BotFilter.isBot(userAgent)) {
            return ClickEvent.preview(linkId, now);
        }
        return ClickEvent.click(linkId, hasher.hash(ip, userAgent, now), now);
    }

    /** Queues an event without blocking; false when the queue is full (the caller waits and offers again, or drops). */
    public boolean offer(ClickEvent event) {
        return enqueue(event);
    }

    /** Counts an event that found the queue full for longer than {@code gazette.links.full-queue-wait}. */
    public void dropped() {
        droppedFull.increment();
    }

    /** Counts a redirect that waited for room in the queue. */
    public void delayed() {
        delayed.increment();
    }

    @Override
    void store(List<ClickEvent> batch) throws Exception {
        long start = System.nanoTime();
        ClickWriter.Result result = writer.write(batch);
        Log.debugf("Wrote %d clicks and previews in %d ms", batch.size(), (System.nanoTime() - start) / 1_000_000);
        clicksRecorded.increment(result.clicks());
        clicksDuplicate.increment(result.duplicates());
        previewsRecorded.increment(result.previews());
    }

    void start(@Observes StartupEvent event) {
        startWriter();
    }

    // Before the default priority, so the datasource is still there.
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        int written = stopWriter();
        if (written > 0) {
            Log.infof("Wrote %d queued clicks and previews before shutting down", written);
        }
    }

    @Override
    void afterFlush() {
        pruneIfDue();
    }

    private void pruneIfDue() {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        lastPrune = now;
        try {
            int deleted = writer.prune(now);
            if (deleted > 0) {
                Log.debugf("Pruned %d click and visitor rows no longer needed for de-duplication", deleted);
            }
        } catch (Exception e) {
            Log.warnf(e, "Pruning click rows failed; the next run tries again");
        }
    }
}
