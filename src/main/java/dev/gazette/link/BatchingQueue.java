package dev.gazette.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;
import io.quarkus.logging.Log;

/**
 * A bounded queue that a writer thread stores in batches every flush interval, off the request path: what the redirect
 * records (clicks and previews, readers' activity). A batch that cannot be stored is tried once more (a hiccup, a
 * deadlock with another instance), then dropped and counted. {@link #flush()} stores everything queued before it in
 * the caller's thread (tests, shutdown). What is queued when the process dies is lost: at most one queue.
 */
abstract class BatchingQueue<T> {

    private final String name;
    private final int capacity;
    private final int batchSize;
    private final Duration interval;
    private final Counter droppedFailed;
    /** Held while draining and writing, so {@link #flush()} returns only once everything queued before it is stored. */
    private final ReentrantLock writing = new ReentrantLock();
    private volatile BlockingQueue<T> queue;
    private volatile boolean running;
    private Thread thread;

    /** {@code name} names the writer thread and its log lines; {@code droppedFailed} counts items of failed batches. */
    BatchingQueue(String name, LinksConfig config, Counter droppedFailed) {
        this.name = name;
        this.capacity = config.queueCapacity();
        this.batchSize = config.batchSize();
        this.interval = config.flushInterval();
        this.droppedFailed = droppedFailed;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Stores one batch; an exception makes it be tried once more, then dropped. */
    abstract void store(List<T> batch) throws Exception;

    /** What the writer does after each flush (by default nothing). */
    void afterFlush() {
    }

    /** Queues an item without blocking; false when the queue is full. */
    final boolean enqueue(T item) {
        return queue.offer(item);
    }

    /**
     * Stores everything queued so far, in the caller's thread. Tests call it instead of waiting for the writer.
     *
     * @return items stored (those of a batch that could not be stored are dropped and counted)
     */
    public int flush() {
        writing.lock();
        try {
            int stored = 0;
            int drained;
            List<T> batch = new ArrayList<>(Math.min(batchSize, 1024));
            // A batch smaller than the maximum emptied the queue: what arrives meanwhile waits for the next run,
            // rather than the writer chasing each new item with a statement of its own.
            do {
                drained = queue.drainTo(batch, batchSize);
                if (drained > 0) {
                    stored += write(batch) ? drained : 0;
                    batch.clear();
                }
            } while (drained == batchSize);
            return stored;
        } finally {
            writing.unlock();
        }
    }

    private boolean write(List<T> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                store(batch);
                return true;
            } catch (Exception e) {
                if (attempt == 2) {
                    droppedFailed.increment(batch.size());
                    Log.errorf(e, "The %s could not store %d items; they are dropped", name, batch.size());
                    return false;
                }
            }
        }
    }

    /** Starts the writer thread. */
    final void startWriter() {
        running = true;
        thread = new Thread(this::run, "gazette-" + name.replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the writer thread, then stores what is left; returns how many items that was. */
    final int stopWriter() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return flush();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            try {
                flush();
                afterFlush();
            } catch (RuntimeException e) {
                Log.errorf(e, "The %s failed; it tries again in %s", name, interval);
            }
        }
    }

    /** Items waiting to be stored. */
    public int queued() {
        return queue.size();
    }

    /** Replaces the queue with an empty one of the given capacity; for tests of a full queue. */
    void resetQueue(int newCapacity) {
        writing.lock();
        try {
            queue = new ArrayBlockingQueue<>(newCapacity);
        } finally {
            writing.unlock();
        }
    }

    /** Forgets queued items; for tests, whose database is emptied between them. */
    public void discard() {
        resetQueue(capacity);
    }
}
