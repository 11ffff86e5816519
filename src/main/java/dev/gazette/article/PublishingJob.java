package dev.gazette.article;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes scheduled articles when their time comes. Quartz's clustered store fires it on one instance at a time,
 * and the claim in {@link ArticleService#publishDue()} is safe even if two ran together.
 */
@ApplicationScoped
public class PublishingJob {

    private final ArticleService articles;

    PublishingJob(ArticleService articles) {
        this.articles = articles;
    }

    @Scheduled(identity = "publish-due-articles", every = "${gazette.articles.publish-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            int count;
            do {
                count = articles.publishDue();
            } while (count == ArticleService.DUE_BATCH);
        } catch (RuntimeException e) {
            Log.errorf(e, "Publishing scheduled articles failed; the next run retries");
        }
    }
}
