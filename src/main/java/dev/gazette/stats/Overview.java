package dev.gazette.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.social.Channel;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;

/**
 * The publication at a glance, as the editor UI's dashboard shows it: articles, readers and channels counted.
 */
@ApplicationScoped
public class Overview {

    /** Label to count, in the order to show them. */
    @Transactional
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("Published articles", Article.count("status", ArticleStatus.PUBLISHED));
        counts.put("Drafts and scheduled", Article.count("status in ?1", List.of(ArticleStatus.DRAFT, ArticleStatus.SCHEDULED)));
        counts.put("Active readers", Subscriber.count("status", SubscriberStatus.ACTIVE));
        counts.put("Channels", Channel.count());
        return counts;
    }
}
