package dev.gazette.article;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Sample topics and articles for a new, empty installation, so a newcomer sees a working site at once.
 * Turned off with {@code gazette.articles.demo-content=false}.
 */
@Singleton
public class DemoContent {

    private static final long LOCK = 0x6761_7a65_7474_6501L;

    private final ArticlesConfig config;
    private final TopicService topics;
    private final ArticleService articles;
    private final EntityManager em;

    DemoContent(ArticlesConfig config, TopicService topics, ArticleService articles, EntityManager em) {
        this.config = config;
        this.topics = topics;
        this.articles = articles;
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.demoContent()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            // Instances starting together on one empty database: only the first one in writes the samples.
            em.createNativeQuery("select pg_advisory_xact_lock(" + LOCK + ")").getSingleResult();
            if (Topic.count() > 0 || Article.count() > 0) {
                return;
            }
            create();
            Log.info("Created sample topics and articles (gazette.articles.demo-content=false turns this off)");
        });
    }

    private void create() {
        topics.create("Getting started", "getting-started", "How to run Gazette and what it does.");
        topics.create("Newsletters", "newsletters", "Digests, subscribers and what mailbox providers expect.");
        topics.create("Social", "social", "Posting articles to social networks and bringing readers back.");

        publish("Welcome to Gazette", "Your publication's articles, newsletters and social posts in one place.", """
                Gazette turns articles into readers. Editors write or import articles; readers subscribe to the
                topics they care about; every article goes out to your social channels with a tracked link; and
                each reader gets a digest of their topics at the hour they chose.

                This article is sample content, created because the database was empty. Replace it with your own:
                create an API token, then use the editor API described at `/q/swagger-ui`.

                ## What to try first

                1. Open an article page and look at its source: it carries the Open Graph and Twitter tags that
                   make good link previews.
                2. Subscribe with the form below. With no mail server configured, the confirmation mail is written
                   to `data/outbox/` — open it with any mail client.
                3. Subscribe to a feed reader at `/feed.xml`.
                """, "getting-started");
        publish("How digests reach each reader on time", "One newsletter, sent at each reader's own morning.", """
                A digest collects the articles published in a reader's topics since their previous one. Gazette
                sends it at the newsletter's local time **in each reader's time zone**, so a reader in Tokyo and
                one in New York both get it with their coffee.

                Every message is recorded in a delivery ledger before it is sent, so a restart never loses or
                duplicates one.
                """, "newsletters", "getting-started");
        publish("Every article, on every network, with a preview", "Mastodon, Bluesky, LinkedIn and more, without double posts.", """
                When an article is published, Gazette posts it to the channels you connected, with text that fits
                each network's limit and a tracked link. Readers who follow the link land on the article page,
                where they can subscribe — and you can see the whole path, from post to confirmed subscriber.
                """, "social");
        publish("Importing the articles you already publish", "Point Gazette at your site's feed.", """
                If your site already publishes an RSS or Atom feed, register it as a feed source. Gazette imports
                the existing items quietly, then picks up each new one as it appears, so social posts and digests
                follow your publishing without any extra work.
                """, "getting-started");
    }

    private void publish(String title, String summary, String markdown, String... topicSlugs) {
        Article article = articles.create(new ArticleInput(title, null, summary, markdown, BodyFormat.MARKDOWN, null, null,
                null, null, "The Gazette team", List.of(topicSlugs), null, null));
        articles.publishNow(article.id);
    }
}
