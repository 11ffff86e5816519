package dev.gazette.article.feed;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Polls the feed sources that are due.
 */
@ApplicationScoped
public class FeedPollJob {

    private final FeedImporter importer;

    FeedPollJob(FeedImporter importer) {
        this.importer = importer;
    }

    @Scheduled(identity = "poll-feeds", every = "${gazette.feeds.poll-job-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            importer.pollDue();
        } catch (RuntimeException e) {
            Log.errorf(e, "Polling feeds failed; the next run retries");
        }
    }
}
