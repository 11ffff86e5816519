package dev.gazette.social;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import dev.gazette.article.TopicMerging;

/**
 * When topics are merged, a channel that posted the merged topic's articles posts the remaining topic's, so its rules
 * keep matching the same articles.
 */
@ApplicationScoped
public class ChannelTopicMerge {

    private final EntityManager em;

    ChannelTopicMerge(EntityManager em) {
        this.em = em;
    }

    void onMerge(@Observes TopicMerging merge) {
        merge.copyLinks(em, "channel_topic", "channel_id");
    }
}
