package dev.gazette.article;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PublishingTest extends GazetteTest {

    @Inject
    ArticleService articles;

    @Inject
    PublishingJob job;

    @Test
    void shouldPublishScheduledArticleWhenDueAndFireEventAfterCommit() {
        long id = fixtures.draft("Morning briefing", "x").id;
        articles.schedule(id, Instant.parse("2026-03-02T10:00:00Z"));

        clock.advance(Duration.ofMinutes(59));
        job.run();
        assertEquals(ArticleStatus.SCHEDULED, status(id));
        assertEquals(List.of(), publishedEvents.all());

        clock.advance(Duration.ofMinutes(1));
        job.run();
        assertEquals(ArticleStatus.PUBLISHED, status(id));
        assertEquals(List.of(new ArticlePublished(id, "morning-briefing", true)), publishedEvents.all());
        assertEquals(Instant.parse("2026-03-02T10:00:00Z"),
                QuarkusTransaction.requiringNew().call(() -> Article.<Article> findById(id).publishedAt));

        job.run();
        assertEquals(1, publishedEvents.all().size());
    }

    @Test
    void shouldFireAgainWhenRepublishedButKeepFirstDate() {
        long id = fixtures.published("Back again", "x").id;
        articles.unpublish(id);
        clock.advance(Duration.ofDays(1));
        articles.publishNow(id);
        assertEquals(List.of(new ArticlePublished(id, "back-again", true), new ArticlePublished(id, "back-again", false)),
                publishedEvents.all());
        assertEquals(TestClock.START,
                QuarkusTransaction.requiringNew().call(() -> Article.<Article> findById(id).publishedAt));
    }

    @Test
    void shouldNotFireWhenTheTransactionRollsBack() {
        long id = fixtures.draft("Rolled back", "x").id;
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                articles.publishNow(id);
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
            // the publication is rolled back
        }
        assertEquals(ArticleStatus.DRAFT, status(id));
        assertEquals(List.of(), publishedEvents.all());
    }

    @Test
    void shouldPublishEachDueArticleOnceWhenInstancesRaceForThem() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long id = fixtures.draft("Race " + i, "x").id;
            articles.schedule(id, Instant.parse("2026-03-02T09:30:00Z"));
            ids.add(id);
        }
        clock.advance(Duration.ofHours(1));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(articles::publishDue);
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(runs)) {
                total += f.get();
            }
            assertEquals(30, total);
        } finally {
            pool.shutdown();
        }
        assertEquals(30, publishedEvents.all().size());
        assertEquals(30, publishedEvents.all().stream().map(ArticlePublished::articleId).distinct().count());
    }

    private static ArticleStatus status(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Article.<Article> findById(id).status);
    }
}
