package dev.gazette.digest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import dev.gazette.article.TopicMerging;

/**
 * When topics are merged, a newsletter that covered the merged topic covers the remaining one, so it keeps sending
 * the same articles.
 */
@ApplicationScoped
public class NewsletterTopicMerge {

    private final EntityManager em;

    NewsletterTopicMerge(EntityManager em) {
        this.em = em;
    }

    void onMerge(@Observes TopicMerging merge) {
        merge.copyLinks(em, "newsletter_topic", "newsletter_id");
    }
}
