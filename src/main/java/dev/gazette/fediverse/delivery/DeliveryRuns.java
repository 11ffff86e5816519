package dev.gazette.fediverse.delivery;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import dev.gazette.article.ArticleChanged;
import dev.gazette.article.ArticlePublished;
import dev.gazette.fediverse.FediverseConfig;
import dev.gazette.fediverse.Federation;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * When deliveries run: every {@code gazette.fediverse.delivery-interval}, and right after an article is published,
 * edited or withdrawn. A run plans what is new, then sends until nothing is due. Runs are single-flight on a node, on
 * a thread of their own (never the editor's request): a change that arrives during a run only asks for one more run
 * after it, so twenty quick edits start at most two.
 */
@ApplicationScoped
public class DeliveryRuns {

    private final Federation federation;
    private final DeliveryPlanner planner;
    private final DeliverySender sender;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicInteger started = new AtomicInteger();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fediverse-delivery-run");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean onPublish;

    DeliveryRuns(Federation federation, DeliveryPlanner planner, DeliverySender sender, FediverseConfig config) {
        this.federation = federation;
        this.planner = planner;
        this.sender = sender;
        this.onPublish = config.deliverOnPublish();
    }

    @Scheduled(identity = "fediverse-deliveries", every = "${gazette.fediverse.delivery-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        request();
    }

    void onPublished(@Observes(during = TransactionPhase.AFTER_SUCCESS) ArticlePublished event) {
        if (onPublish) {
            request();
        }
    }

    void onChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ArticleChanged event) {
        if (onPublish) {
            request();
        }
    }

    /** Asks for a run: starts one on the run thread, or, when one is under way, one more after it. */
    public void request() {
        if (!federation.enabled()) {
            return;
        }
        again.set(true);
        if (running.compareAndSet(false, true)) {
            try {
                runner.execute(this::runWhileAsked);
            } catch (RejectedExecutionException e) {
                // shutting down: the next start's first run picks the work up from the ledger
                running.set(false);
            }
        }
    }

    private void runWhileAsked() {
        try {
            while (again.getAndSet(false) && !sender.stopping()) {
                runOnce();
            }
        } finally {
            running.set(false);
        }
        // asked between the last check and the flag going down: run again rather than lose the request
        if (again.get() && !sender.stopping()) {
            request();
        }
    }

    private void runOnce() {
        started.incrementAndGet();
        try {
            planner.plan();
        } catch (RuntimeException e) {
            // what is already planned is still sent
            Log.errorf(e, "Fediverse deliveries could not be planned");
        }
        try {
            sender.sendDue();
        } catch (RuntimeException e) {
            Log.errorf(e, "Fediverse deliveries could not be sent");
        }
    }

    /** Whether a run is under way or asked for; tests wait for it to end. */
    boolean busy() {
        return running.get();
    }

    /** How many runs this node has started; tests count them. */
    int started() {
        return started.get();
    }

    /** Turns the run after each article change on or off at run time; tests switch it on only where they need it. */
    void deliverOnPublish(boolean on) {
        onPublish = on;
    }

    @PreDestroy
    void close() {
        runner.shutdownNow();
    }
}
