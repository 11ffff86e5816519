package dev.gazette.article;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.gazette.common.Text;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.events.EventLog;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Parameters;

/**
 * Writes, publishes and lists articles. Every state change that makes an article public fires {@link ArticlePublished}.
 */
@ApplicationScoped
public class ArticleService {

    static final int MAX_SLUG = 80;
    /** The column's width: slugs an editor types may be longer than generated ones. */
    static final int MAX_SLUG_TYPED = 200;
    static final int DUE_BATCH = 100;

    private final ArticleRenderer renderer;
    private final ArticlesConfig config;
    private final Clock clock;
    private final Event<ArticlePublished> published;
    private final Event<ArticleChanged> changed;
    private final EventLog events;
    private final SiteConfig site;
    private final Instance<DeletionGuard> guards;

    ArticleService(ArticleRenderer renderer, ArticlesConfig config, Clock clock, Event<ArticlePublished> published,
            Event<ArticleChanged> changed, EventLog events, SiteConfig site, Instance<DeletionGuard> guards) {
        this.guards = guards;
        this.events = events;
        this.site = site;
        this.renderer = renderer;
        this.config = config;
        this.clock = clock;
        this.published = published;
        this.changed = changed;
    }

    /** Filters for the editor list; null means any. */
    public record Filter(ArticleStatus status, String topic, String titleContains) {
    }

    /** One page of a keyset-paginated list. */
    public record Page(List<Article> items, Long nextCursor) {
    }

    @Transactional
    public Article create(ArticleInput input) {
        List<Problem.Violation> problems = new ArrayList<>();
        if (blank(input.title())) {
            problems.add(new Problem.Violation("title", "must not be blank"));
        }
        if (input.body() == null) {
            problems.add(new Problem.Violation("body", "must not be null"));
        }
        throwIfAny(problems);
        Article article = new Article();
        article.status = ArticleStatus.DRAFT;
        article.language = config.defaultLanguage();
        article.bodyFormat = BodyFormat.MARKDOWN;
        article.created(clock.instant());
        apply(article, input);
        article.persist();
        return article;
    }

    @Transactional
    public Article update(long id, ArticleInput input) {
        Article article = require(id);
        if (input.title() != null && input.title().isBlank()) {
            throw ProblemException.invalid("title", "must not be blank");
        }
        apply(article, input);
        article.updatedAt = clock.instant();
        changed.fire(new ArticleChanged(article.id, article.slug));
        return article;
    }

    private void apply(Article article, ArticleInput input) {
        List<Problem.Violation> problems = new ArrayList<>();
        if (input.title() != null) {
            article.title = input.title().trim();
        }
        if (input.slug() != null && !input.slug().equals(article.slug)) {
            String slug = input.slug().trim();
            if (!Slugs.isValid(slug)) {
                problems.add(new Problem.Violation("slug", "must be lower-case letters and digits separated by dashes"));
            } else if (slug.length() > MAX_SLUG_TYPED) {
                problems.add(new Problem.Violation("slug", "must be at most " + MAX_SLUG_TYPED + " characters"));
            } else if (article.publishedAt != null) {
                throw ProblemException.conflict("slug", "The slug of a published article is stable: links to it are out there.");
            } else if (Article.slugExists(slug)) {
                throw ProblemException.conflict("slug", "The slug " + slug + " is taken by another article.");
            } else {
                article.slug = slug;
            }
        }
        if (article.slug == null) {
            article.slug = uniqueSlug(Slugs.from(article.title == null ? "" : article.title, "article", MAX_SLUG));
        }
        if (input.summary() != null) {
            article.summary = emptyToNull(input.summary());
        }
        if (input.bodyFormat() != null) {
            article.bodyFormat = input.bodyFormat();
        }
        if (input.body() != null || input.bodyFormat() != null) {
            article.bodySource = input.body() != null ? input.body() : article.bodySource;
            try {
                article.bodyHtml = renderer.toSafeHtml(article.bodyFormat, article.bodySource);
            } catch (ArticleRenderer.TooComplex e) {
                problems.add(new Problem.Violation("body", e.getMessage()));
            }
        }
        if (input.imageUrl() != null) {
            article.imageUrl = httpUrl(input.imageUrl(), "imageUrl", problems);
        }
        if (input.imageAlt() != null) {
            article.imageAlt = emptyToNull(input.imageAlt());
        }
        if (input.imageCaption() != null) {
            article.imageCaption = emptyToNull(input.imageCaption());
        }
        if (input.imageCredit() != null) {
            article.imageCredit = emptyToNull(input.imageCredit());
        }
        if (article.imageUrl != null && blank(article.imageAlt)) {
            problems.add(new Problem.Violation("imageAlt", "must describe the image for readers who cannot see it"));
        }
        if (input.author() != null) {
            article.author = emptyToNull(input.author());
        }
        if (input.language() != null) {
            article.language = input.language().trim();
        }
        if (input.canonicalUrl() != null) {
            article.canonicalUrl = httpUrl(input.canonicalUrl(), "canonicalUrl", problems);
        }
        if (input.topics() != null) {
            article.topics = Topic.resolve(input.topics(), problems);
        }
        throwIfAny(problems);
    }

    private String uniqueSlug(String base) {
        String slug = base;
        for (int n = 2; Article.slugExists(slug); n++) {
            slug = base + "-" + n;
        }
        return slug;
    }

    @Transactional
    public Optional<Article> find(long id) {
        return Article.findByIdWithTopics(id);
    }

    @Transactional
    public Page list(Filter filter, Long after, int limit) {
        StringBuilder query = new StringBuilder("select a.id from Article a where 1 = 1");
        Parameters params = new Parameters();
        if (filter.status() != null) {
            query.append(" and a.status = :status");
            params.and("status", filter.status());
        }
        if (filter.topic() != null) {
            query.append(" and exists (select 1 from Article b join b.topics t where b.id = a.id and t.slug = :topic)");
            params.and("topic", filter.topic());
        }
        if (filter.titleContains() != null && !filter.titleContains().isBlank()) {
            query.append(" and lower(a.title) like :q escape '!'");
            params.and("q", "%" + Text.likeEscape(filter.titleContains().toLowerCase(Locale.ROOT)) + "%");
        }
        if (after != null) {
            query.append(" and a.id < :after");
            params.and("after", after);
        }
        query.append(" order by a.id desc");
        PanacheQuery<Long> ids = Article.find(query.toString(), params).project(Long.class);
        List<Long> page = ids.page(0, limit + 1).list();
        Long next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = page.get(limit - 1);
        }
        return new Page(Article.withTopics(page), next);
    }

    @Transactional
    public Article publishNow(long id) {
        Article article = require(id);
        if (article.status == ArticleStatus.PUBLISHED) {
            return article;
        }
        makePublic(article, clock.instant());
        return article;
    }

    @Transactional
    public Article schedule(long id, Instant at) {
        Article article = require(id);
        if (article.status == ArticleStatus.PUBLISHED) {
            throw new ProblemException(409, "Conflict", "The article is already published.");
        }
        if (at == null || !at.isAfter(clock.instant())) {
            throw ProblemException.invalid("publishAt", "must be in the future");
        }
        article.status = ArticleStatus.SCHEDULED;
        article.publishAt = at;
        article.updatedAt = clock.instant();
        return article;
    }

    @Transactional
    public Article unpublish(long id) {
        Article article = require(id);
        if (article.status == ArticleStatus.SCHEDULED) {
            article.status = ArticleStatus.DRAFT;
            article.publishAt = null;
        } else if (article.status == ArticleStatus.PUBLISHED) {
            article.status = ArticleStatus.UNPUBLISHED;
            article.unpublishedAt = clock.instant();
            changed.fire(new ArticleChanged(article.id, article.slug));
        } else {
            throw new ProblemException(409, "Conflict", "Only published or scheduled articles can be unpublished.");
        }
        article.updatedAt = clock.instant();
        return article;
    }

    @Transactional
    public void deleteDraft(long id) {
        Article article = require(id);
        if (article.status != ArticleStatus.DRAFT) {
            throw new ProblemException(409, "Conflict",
                    "Only drafts can be deleted; unpublish a published article instead.");
        }
        // a draft that was published once may still owe its withdrawal to someone
        for (DeletionGuard guard : guards) {
            Optional<String> refusal = guard.refusal(id);
            if (refusal.isPresent()) {
                throw new ProblemException(409, "Conflict", refusal.get());
            }
        }
        article.delete();
    }

    /**
     * Publishes scheduled articles whose time has come. Rows are claimed with SKIP LOCKED, so instances running
     * this at the same moment never publish the same article twice.
     *
     * @return how many were published
     */
    @Transactional
    public int publishDue() {
        Instant now = clock.instant();
        List<Article> due = Article.<Article> find("status = ?1 and publishAt <= ?2 order by publishAt",
                ArticleStatus.SCHEDULED, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2)
                .page(0, DUE_BATCH).list();
        for (Article article : due) {
            makePublic(article, now);
            Log.infof("Published scheduled article %d (%s)", article.id, article.slug);
        }
        return due.size();
    }

    /** Publishes an article created by an import, keeping the date the source gave it. */
    public void publishImported(Article article, Instant sourceDate, boolean announce) {
        article.status = ArticleStatus.PUBLISHED;
        article.publishedAt = sourceDate;
        if (announce) {
            published.fire(new ArticlePublished(article.id, article.slug, true));
            recordPublished(article, true);
        }
    }

    private void makePublic(Article article, Instant now) {
        boolean first = article.publishedAt == null;
        article.status = ArticleStatus.PUBLISHED;
        if (first) {
            article.publishedAt = now;
        }
        article.publishAt = null;
        article.unpublishedAt = null;
        article.updatedAt = now;
        published.fire(new ArticlePublished(article.id, article.slug, first));
        recordPublished(article, first);
        changed.fire(new ArticleChanged(article.id, article.slug));
    }

    /** The {@code article.published} event, in the publishing transaction. */
    private void recordPublished(Article article, boolean first) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", article.id);
        data.put("slug", article.slug);
        data.put("title", article.title);
        data.put("summary", article.summary);
        data.put("url", site.baseUrl() + "/articles/" + article.slug);
        data.put("topics", article.topics.stream().map(t -> t.slug).sorted().toList());
        data.put("publishedAt", article.publishedAt == null ? null : article.publishedAt.toString());
        data.put("firstPublication", first);
        events.record(EventLog.ARTICLE_PUBLISHED, Map.of("article", data));
    }

    private Article require(long id) {
        return Article.findByIdWithTopics(id).orElseThrow(() -> ProblemException.notFound("Article " + id));
    }

    static String httpUrl(String value, String field, List<Problem.Violation> problems) {
        String url = emptyToNull(value);
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(new Problem.Violation(field, "must be an absolute http or https URL"));
        return null;
    }

    private static void throwIfAny(List<Problem.Violation> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The request is not valid: see violations.", problems);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
