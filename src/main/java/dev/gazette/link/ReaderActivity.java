package dev.gazette.link;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Readers' clicks as activity ({@code subscriber.last_active_at}), off the request path like clicks: the redirect
 * offers the token of a tagged link to a bounded queue (a full queue drops it, counted; the redirect never waits for
 * activity), and a writer thread judges the queued clicks and stores the human ones in batches every
 * {@code gazette.links.flush-interval}. A click is not the reader's when the token is not valid, when it is a HEAD
 * request, when the User-Agent is a bot's or a link scanner's, or when it came within
 * {@code gazette.links.scanner-window} of the mail's send time. What is queued when the process dies is lost.
 */
@Singleton
public class ReaderActivity {

    /** What a tagged click was judged to be, the {@code outcome} of {@code gazette_reader_activity_total}. */
    public enum Outcome {
        COUNTED, BOT, HEAD, SCANNER_TIMING, INVALID;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A click on a tagged link, as the redirect saw it. */
    record Visit(String token, Instant at, boolean head, boolean bot) {
    }

    private final ReaderClicks clicks;
    private final ReaderActivityWriter writer;
    private final LinksConfig config;
    private final Clock clock;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Counter droppedFull;
    private final Counter droppedFailed;
    /** Held while draining and writing, so {@link #flush()} returns only once everything queued before it is stored. */
    private final ReentrantLock writing = new ReentrantLock();
    private volatile BlockingQueue<Visit> queue;
    private volatile boolean running;
    private Thread thread;

    ReaderActivity(ReaderClicks clicks, ReaderActivityWriter writer, LinksConfig config, Clock clock, MeterRegistry registry) {
        this.clicks = clicks;
        this.writer = writer;
        this.config = config;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("gazette.reader.activity").tag("outcome", outcome.tag())
                    .description("Clicks on links carrying a reader's token, by what they were judged to be").register(registry));
        }
        droppedFull = Counter.builder("gazette.reader.activity.dropped").tag("reason", "queue-full")
                .description("Readers' clicks not judged nor stored").register(registry);
        droppedFailed = Counter.builder("gazette.reader.activity.dropped").tag("reason", "write-failed")
                .description("Readers' clicks not judged nor stored").register(registry);
    }

    /**
     * Queues a click on a link that carried a reader's token, without blocking and without checking the token (the
     * writer does). A full queue drops it and counts it.
     */
    public void offer(String token, boolean head, boolean bot) {
        if (!queue.offer(new Visit(token, clock.instant(), head, bot))) {
            droppedFull.increment();
        }
    }

    /**
     * Judges and writes everything queued so far, in the caller's thread. Tests call it instead of waiting for the
     * writer.
     *
     * @return clicks judged (those of a batch that could not be written are dropped and counted)
     */
    public int flush() {
        writing.lock();
        try {
            int judged = 0;
            int drained;
            List<Visit> batch = new ArrayList<>(Math.min(config.batchSize(), 1024));
            do {
                drained = queue.drainTo(batch, config.batchSize());
                if (drained > 0) {
                    judged += write(batch) ? drained : 0;
                    batch.clear();
                }
            } while (drained == config.batchSize());
            return judged;
        } finally {
            writing.unlock();
        }
    }

    /** What a click was: the token is checked first, so a forged token is invalid whoever sends it. */
    Outcome judge(Visit visit, ReaderClicks.Click click) {
        if (click == null) {
            return Outcome.INVALID;
        }
        if (visit.head()) {
            return Outcome.HEAD;
        }
        if (visit.bot()) {
            return Outcome.BOT;
        }
        if (visit.at().isBefore(click.sentAt().plus(config.scannerWindow()))) {
            return Outcome.SCANNER_TIMING;
        }
        return Outcome.COUNTED;
    }

    private boolean write(List<Visit> batch) {
        Map<Long, Instant> latest = new HashMap<>();
        Map<Outcome, int[]> counts = new EnumMap<>(Outcome.class);
        for (Visit visit : batch) {
            ReaderClicks.Click click = clicks.check(visit.token());
            Outcome outcome = judge(visit, click);
            counts.computeIfAbsent(outcome, o -> new int[1])[0]++;
            if (outcome == Outcome.COUNTED) {
                latest.merge(click.readerId(), visit.at(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                writer.write(latest);
                counts.forEach((outcome, n) -> outcomes.get(outcome).increment(n[0]));
                return true;
            } catch (Exception e) {
                // one retry (a hiccup, a deadlock with another instance), then the batch is dropped and counted
                if (attempt == 2) {
                    droppedFailed.increment(batch.size());
                    Log.errorf(e, "Could not store the activity of %d readers; it is dropped", latest.size());
                    return false;
                }
            }
        }
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "gazette-activity-writer");
        thread.setDaemon(true);
        thread.start();
    }

    // Before the default priority, so the datasource is still there.
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(config.flushInterval().toMillis());
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            try {
                flush();
            } catch (RuntimeException e) {
                Log.errorf(e, "The activity writer failed; it tries again in %s", config.flushInterval());
            }
        }
    }

    /** Clicks waiting to be judged and written. */
    public int queued() {
        return queue.size();
    }

    /** Forgets queued clicks; for tests, whose database is emptied between them. */
    public void discard() {
        queue = new ArrayBlockingQueue<>(config.queueCapacity());
    }
}
