package dev.gazette.fediverse.inbox;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import dev.gazette.fediverse.FediverseConfig;
import io.quarkus.logging.Log;

/**
 * The inbox's background work, in memory: activities whose sender's key must be fetched first, and verified ones whose
 * handling may fetch (a follower's actor) or post (the Accept). A bounded queue with two workers, so a request thread
 * never waits on another server. What is queued is lost if the process dies: the activities were answered 202 but
 * nothing was recorded, and their senders deliver them again (Mastodon retries for days), so nothing half-done
 * remains. Work that fails on another server (a follower's actor that cannot be fetched) is not retried here either:
 * its activity id is recorded only with what it did, so the sender's next delivery of it is handled.
 */
@Singleton
public class PendingActivities {

    private static final int WORKERS = 2;
    /** Bodies waiting in memory, at most: a count alone would let 1,000 bodies of 1 MB each fill the heap. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final ThreadPoolExecutor workers;
    private final AtomicInteger unfinished = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    PendingActivities(FediverseConfig config) {
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(Math.max(1, config.pendingCapacity())), r -> {
                    Thread t = new Thread(r, "gazette-fediverse-inbox");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Queues work; false when the queue is full (the inbox then answers 503). */
    public boolean submit(String what, Runnable work) {
        return submit(what, work, 0);
    }

    /**
     * Queues work that holds {@code size} bytes of a request body until it runs; false when the queue is full or the
     * bodies waiting would pass {@link #MAX_BYTES} (the inbox then answers 503).
     */
    public boolean submit(String what, Runnable work, long size) {
        if (bytes.addAndGet(size) > MAX_BYTES) {
            bytes.addAndGet(-size);
            return false;
        }
        unfinished.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    Log.errorf(e, "Fediverse inbox: %s failed", what);
                } finally {
                    bytes.addAndGet(-size);
                    unfinished.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            bytes.addAndGet(-size);
            unfinished.decrementAndGet();
            return false;
        }
    }

    /** Waits until nothing is queued or running; for tests and shutdown. Returns whether it got there in time. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unfinished.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
    }
}
