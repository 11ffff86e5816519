package dev.gazette.article.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.Topic;
import dev.gazette.article.media.MediaUrls;
import dev.gazette.article.web.PageModels.ArticlePage;
import dev.gazette.article.web.PageModels.Teaser;
import dev.gazette.article.web.PageModels.TopicLink;
import dev.gazette.common.SiteTime;
import dev.gazette.common.Text;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.web.Site;
import dev.gazette.common.web.SiteChrome;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Renders the public pages from the database. Called on a cache miss only (see {@link PageCache}).
 */
@ApplicationScoped
public class ArticlePages {

    private static final String RELATED_ARTICLES = """
            select a.id from article a join article_topic at on at.article_id = a.id
            where at.topic_id in (:topics) and a.id <> :id and a.status = 'PUBLISHED'
            group by a.id, a.published_at order by count(*) desc, a.published_at desc limit :limit""";

    static final int HOME_ARTICLES = 20;
    static final int TOPIC_ARTICLES = 30;
    static final int RELATED = 3;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Site site, List<Teaser> latest, List<TopicLink> topics, String activityUrl);

        static native TemplateInstance article(Site site, ArticlePage article);

        static native TemplateInstance topic(Site site, TopicLink topic, String description, List<Teaser> articles,
                List<TopicLink> topics);

        static native TemplateInstance message(Site site, String title, String text);
    }

    private final SiteConfig config;
    private final SiteChrome chrome;
    private final EntityManager em;
    private final ObjectMapper json;
    private final SiteTime time;
    private final ActivityRepresentation activity;
    private final ArticleResponses responses;

    ArticlePages(SiteConfig config, SiteChrome chrome, EntityManager em, ObjectMapper json, SiteTime time,
            Instance<ActivityRepresentation> activity, Instance<ArticleResponses> responses) {
        this.config = config;
        this.responses = responses.isResolvable() ? responses.get() : null;
        this.activity = activity.isResolvable() && activity.get().enabled() ? activity.get() : null;
        this.time = time;
        this.chrome = chrome;
        this.em = em;
        this.json = json;
    }

    private Site site() {
        return chrome.site();
    }

    @Transactional
    public PageCache.Entry home() {
        List<Teaser> latest = Article.latestPublished(HOME_ARTICLES).stream().map(this::teaser).toList();
        String html = Templates.home(site(), latest, topicLinks(Set.of()), activity == null ? null : activity.actorId()).render();
        return PageCache.entry(200, html, null);
    }

    @Transactional
    public PageCache.Entry article(String slug) {
        Optional<Article> found = Article.findBySlugWithTopics(slug);
        if (found.isEmpty() || found.get().publishedAt == null
                || found.get().status == ArticleStatus.DRAFT || found.get().status == ArticleStatus.SCHEDULED) {
            return message(404, "Article not found", "There is no article at this address.");
        }
        Article a = found.get();
        if (a.status == ArticleStatus.UNPUBLISHED) {
            return message(410, "Article withdrawn", "This article is no longer available.");
        }
        return PageCache.entry(200, Templates.article(site(), page(a, activity != null)).render(), a.updatedAt);
    }

    /**
     * The article page as it will look once published (or as it looks now, with the last saved changes), whatever the
     * article's status. Never cached: callers check who may see it (a signed-in editor, or a signed preview link).
     */
    @Transactional
    public Optional<String> preview(long articleId) {
        return Article.findByIdWithTopics(articleId).map(a -> Templates.article(site(), page(a, false)).render());
    }

    /** @param federated whether the page links to its ActivityStreams form (published pages, federation on) */
    private ArticlePage page(Article a, boolean federated) {
        String url = config.baseUrl() + "/articles/" + a.slug;
        String canonical = a.canonicalUrl != null ? a.canonicalUrl : url;
        String description = a.summary != null ? a.summary : Text.truncateAtWord(ArticleRenderer.text(a.bodyHtml), 200);
        Set<Long> own = a.topics.stream().map(t -> t.id).collect(Collectors.toSet());
        List<TopicLink> topics = a.topics.stream().map(t -> topicLink(t, true)).toList();
        // A draft has no publication date yet: the page shows when it was last saved.
        Instant shown = a.publishedAt != null ? a.publishedAt : a.updatedAt;
        String label = a.publishedAt != null ? time.dateTime(a.publishedAt) : "Not published yet";
        return new ArticlePage(a.title, url, canonical, description, a.imageUrl, a.imageAlt, a.imageCaption,
                a.imageCredit, a.author, SiteTime.iso(shown), label, SiteTime.iso(a.updatedAt), a.language,
                a.bodyHtml, topics, related(a, own), jsonLd(a, canonical, description), federated ? url : null,
                federated ? responses(a) : List.of());
    }

    private List<PageModels.ResponseView> responses(Article a) {
        if (responses == null) {
            return List.of();
        }
        return responses.approved(a.id).stream().map(r -> new PageModels.ResponseView(r.authorName(), r.authorHandle(),
                r.authorUrl(), r.contentHtml(), SiteTime.iso(r.publishedAt()), time.dateTime(r.publishedAt()))).toList();
    }

    @Transactional
    public PageCache.Entry topic(String slug) {
        Optional<Topic> found = Topic.findBySlug(slug);
        if (found.isEmpty()) {
            return message(404, "Topic not found", "There is no topic at this address.");
        }
        Topic topic = found.get();
        List<Long> ids = em.createQuery("select a.id from Article a join a.topics t where t.id = :topic"
                + " and a.status = :status order by a.publishedAt desc, a.id desc", Long.class)
                .setParameter("topic", topic.id).setParameter("status", ArticleStatus.PUBLISHED)
                .setMaxResults(TOPIC_ARTICLES).getResultList();
        List<Teaser> articles = Article.withTopics(ids).stream().map(this::teaser).toList();
        String html = Templates.topic(site(), topicLink(topic, true), topic.description, articles,
                topicLinks(Set.of(topic.id))).render();
        return PageCache.entry(200, html, null);
    }

    public PageCache.Entry message(int status, String title, String text) {
        return PageCache.entry(status, Templates.message(site(), title, text).render(), null);
    }

    private List<Teaser> related(Article article, Set<Long> topicIds) {
        if (topicIds.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery(RELATED_ARTICLES)
                .setParameter("topics", topicIds).setParameter("id", article.id).setParameter("limit", RELATED)
                .getResultList();
        return Article.withTopics(ids.stream().map(Number::longValue).toList()).stream().map(this::teaser).toList();
    }

    private List<TopicLink> topicLinks(Set<Long> checked) {
        return Topic.listByName().stream().map(t -> topicLink(t, checked.isEmpty() || checked.contains(t.id))).toList();
    }

    private TopicLink topicLink(Topic t, boolean checked) {
        return new TopicLink(t.slug, t.name, config.baseUrl() + "/topics/" + t.slug, checked);
    }

    public Teaser teaser(Article a) {
        String summary = a.summary != null ? a.summary : Text.truncateAtWord(ArticleRenderer.text(a.bodyHtml), 200);
        return new Teaser(a.title, config.baseUrl() + "/articles/" + a.slug, summary, SiteTime.iso(a.publishedAt),
                time.date(a.publishedAt), MediaUrls.thumb(a.imageUrl), a.imageAlt);
    }

    private String jsonLd(Article a, String canonical, String description) {
        Map<String, Object> ld = new LinkedHashMap<>();
        ld.put("@context", "https://schema.org");
        ld.put("@type", "NewsArticle");
        ld.put("headline", a.title);
        ld.put("description", description);
        if (a.imageUrl != null) {
            ld.put("image", MediaUrls.uploaded(a.imageUrl) ? List.of(a.imageUrl, MediaUrls.card(a.imageUrl)) : List.of(a.imageUrl));
        }
        ld.put("datePublished", SiteTime.iso(a.publishedAt));
        ld.put("dateModified", SiteTime.iso(a.updatedAt));
        if (a.author != null) {
            ld.put("author", List.of(Map.of("@type", "Person", "name", a.author)));
        }
        ld.put("publisher", Map.of("@type", "Organization", "name", config.name(), "url", config.baseUrl()));
        ld.put("mainEntityOfPage", canonical);
        ld.put("inLanguage", a.language);
        List<String> keywords = new ArrayList<>();
        a.topics.forEach(t -> keywords.add(t.name));
        if (!keywords.isEmpty()) {
            ld.put("keywords", keywords);
        }
        try {
            // Inside <script>, "</" would end the element: escape every "<" (and "&" for older parsers).
            return json.writeValueAsString(ld).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
