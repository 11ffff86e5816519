package dev.gazette.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;

import dev.gazette.article.ArticlePublished;

/**
 * Records {@link ArticlePublished} events as a consumer would see them: after commit.
 */
@Singleton
public class PublishedEvents {

    private final List<ArticlePublished> events = new CopyOnWriteArrayList<>();

    void on(@Observes(during = TransactionPhase.AFTER_SUCCESS) ArticlePublished event) {
        events.add(event);
    }

    public List<ArticlePublished> all() {
        return List.copyOf(events);
    }

    public void clear() {
        events.clear();
    }
}
