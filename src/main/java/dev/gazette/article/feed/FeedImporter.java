package dev.gazette.article.feed;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Entities;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEnclosure;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;

import dev.gazette.article.Article;
import dev.gazette.common.Text;
import dev.gazette.article.ArticleChanged;
import dev.gazette.article.ArticleInput;
import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.ArticleService;
import dev.gazette.article.BodyFormat;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Polls feed sources and turns their items into articles. Items are keyed by GUID (or a hash of the link); changed
 * items update their article; the first fetch of a source imports its backlog without announcing it as new, so
 * social channels and digests are not flooded.
 */
@ApplicationScoped
public class FeedImporter {

    private static final String CLAIM_DUE = """
            select id from feed_source where active and next_poll_at <= :now
            order by next_poll_at limit :limit for update skip locked""";

    static final int CLAIM_BATCH = 10;
    static final Duration MAX_BACKOFF = Duration.ofHours(24);

    private final FeedFetcher fetcher;
    private final ArticleService articles;
    private final ArticleRenderer renderer;
    private final EntityManager em;
    private final Clock clock;
    private final Event<ArticleChanged> changed;

    FeedImporter(FeedFetcher fetcher, ArticleService articles, ArticleRenderer renderer, EntityManager em, Clock clock,
            Event<ArticleChanged> changed) {
        this.fetcher = fetcher;
        this.articles = articles;
        this.renderer = renderer;
        this.em = em;
        this.clock = clock;
        this.changed = changed;
    }

    /** What one poll did. */
    public record PollResult(String outcome, int created, int updated, int unchanged, int skipped, String error) {
        static PollResult failed(String error) {
            return new PollResult("error", 0, 0, 0, 0, error);
        }
    }

    /** An item as read from the feed. */
    record Item(String guid, String hash, String title, String link, String summary, String bodyHtml, String author,
            Instant published, String imageUrl) {
    }

    /** Polls every due source once; each source is claimed so that instances running together never share one. */
    public int pollDue() {
        int total = 0;
        List<Long> claimed;
        do {
            claimed = QuarkusTransaction.requiringNew().call(this::claimDue);
            for (long id : claimed) {
                try {
                    poll(id);
                } catch (RuntimeException e) {
                    Log.errorf(e, "Polling feed source %d failed", id);
                    recordError(id, "Unexpected error: " + e.getClass().getSimpleName());
                }
            }
            total += claimed.size();
        } while (claimed.size() == CLAIM_BATCH);
        return total;
    }

    @SuppressWarnings("unchecked")
    List<Long> claimDue() {
        Instant now = clock.instant();
        List<Number> ids = em.createNativeQuery(CLAIM_DUE)
                .setParameter("now", now).setParameter("limit", CLAIM_BATCH).getResultList();
        List<Long> result = ids.stream().map(Number::longValue).toList();
        if (!result.isEmpty()) {
            // Pushed ahead before fetching: a crash mid-poll delays the source by one interval, never loops on it.
            em.createNativeQuery("update feed_source set next_poll_at = cast(:now as timestamptz) + make_interval(secs => poll_interval_secs),"
                    + " last_polled_at = :now where id in (:ids)")
                    .setParameter("now", now).setParameter("ids", result).executeUpdate();
        }
        return result;
    }

    /** Fetches one source now and imports what changed. Network work happens outside any transaction. */
    public PollResult poll(long sourceId) {
        FeedSource source = QuarkusTransaction.requiringNew().call(() -> FeedSource.<FeedSource> findById(sourceId));
        if (source == null) {
            return PollResult.failed("no such feed source");
        }
        FeedFetcher.Result fetched;
        try {
            fetched = fetcher.fetch(source.url, source.etag, source.lastModified);
        } catch (FeedFetcher.FetchException e) {
            recordError(sourceId, e.getMessage());
            return PollResult.failed(e.getMessage());
        }
        if (fetched.notModified()) {
            recordSuccess(sourceId, null, fetched, 0, false);
            return new PollResult("not-modified", 0, 0, 0, 0, null);
        }
        SyndFeed feed;
        try {
            SyndFeedInput input = new SyndFeedInput();
            input.setAllowDoctypes(false);
            feed = input.build(new XmlReader(new ByteArrayInputStream(fetched.body())));
        } catch (Exception e) {
            String error = "Not a valid RSS or Atom feed: " + Text.truncate(String.valueOf(e.getMessage()), 300);
            recordError(sourceId, error);
            return PollResult.failed(error);
        }
        boolean announce = source.baselineDone;
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int skipped = 0;
        List<String> problems = new ArrayList<>();
        for (SyndEntry entry : feed.getEntries()) {
            Optional<Item> item;
            try {
                item = item(entry, source.url);
            } catch (ArticleRenderer.TooComplex e) {
                skipped++;
                problems.add("an item's text " + e.getMessage());
                Log.warnf("Feed source %d: item %s not imported: its text %s", sourceId,
                        Text.truncate(String.valueOf(entry.getUri()), 200), e.getMessage());
                continue;
            }
            if (item.isEmpty()) {
                skipped++;
                continue;
            }
            try {
                switch (QuarkusTransaction.requiringNew().call(() -> importItem(source, item.get(), announce))) {
                    case CREATED -> created++;
                    case UPDATED -> updated++;
                    case UNCHANGED -> unchanged++;
                }
            } catch (RuntimeException e) {
                skipped++;
                problems.add(item.get().title() + ": " + e.getMessage());
                Log.warnf("Feed source %d: item %s not imported: %s", sourceId, item.get().guid(), e.getMessage());
            }
        }
        String feedTitle = feed.getTitle() == null ? null : Text.truncate(feed.getTitle().trim(), 300);
        recordSuccess(sourceId, feedTitle, fetched, created, true);
        String error = problems.isEmpty() ? null : Text.truncate(skipped + " items skipped: " + String.join("; ", problems), 1000);
        if (error != null) {
            QuarkusTransaction.requiringNew().run(() -> FeedSource.<FeedSource> findById(sourceId).lastError = error);
        }
        Log.infof("Feed source %d: %d new, %d updated, %d unchanged, %d skipped%s", sourceId, created, updated, unchanged,
                skipped, announce ? "" : " (baseline)");
        return new PollResult("imported", created, updated, unchanged, skipped, error);
    }

    enum Outcome {
        CREATED,
        UPDATED,
        UNCHANGED
    }

    Outcome importItem(FeedSource source, Item item, boolean announce) {
        Optional<Article> existing = Article.findByFeedGuid(source.id, item.guid());
        if (existing.isPresent()) {
            Article article = existing.get();
            if (item.hash().equals(article.feedHash)) {
                return Outcome.UNCHANGED;
            }
            article.title = item.title();
            article.summary = item.summary();
            article.bodySource = item.bodyHtml();
            article.bodyHtml = renderer.sanitize(item.bodyHtml());
            article.author = item.author();
            article.feedHash = item.hash();
            article.updatedAt = clock.instant();
            changed.fire(new ArticleChanged(article.id, article.slug));
            return Outcome.UPDATED;
        }
        List<String> topics = source.topics.stream().map(t -> t.slug).toList();
        Article article = articles.create(new ArticleInput(item.title(), null, item.summary(), item.bodyHtml(),
                BodyFormat.HTML, item.imageUrl(), item.imageUrl() == null ? null : item.title(), null, null,
                item.author(), topics, null, item.link()));
        article.feedSourceId = source.id;
        article.feedGuid = item.guid();
        article.feedHash = item.hash();
        if (source.importAs == ImportMode.PUBLISHED) {
            articles.publishImported(article, item.published(), announce);
        }
        return Outcome.CREATED;
    }

    private Optional<Item> item(SyndEntry entry, String feedUrl) {
        String title = renderer.boundedText(entry.getTitle()).trim();
        String link = absolute(entry.getLink(), feedUrl);
        if (title.isEmpty() && link == null) {
            return Optional.empty();
        }
        if (title.isEmpty()) {
            title = link;
        }
        String description = entry.getDescription() == null ? null : html(entry.getDescription());
        String body = entry.getContents().isEmpty() ? description : html(entry.getContents().get(0));
        if (body == null) {
            body = "";
        }
        renderer.check(BodyFormat.HTML, body);
        String summary = description == null ? null : Text.truncate(renderer.boundedText(description).trim(), 1000);
        if (summary != null && summary.isEmpty()) {
            summary = null;
        }
        String guid = entry.getUri() != null && !entry.getUri().isBlank() ? entry.getUri().trim()
                : link != null ? "link:" + Text.sha256Hex(link) : "title:" + Text.sha256Hex(title);
        Instant now = clock.instant();
        Instant published = entry.getPublishedDate() != null ? entry.getPublishedDate().toInstant()
                : entry.getUpdatedDate() != null ? entry.getUpdatedDate().toInstant() : now;
        if (published.isAfter(now)) {
            published = now;
        }
        String image = null;
        for (SyndEnclosure enclosure : entry.getEnclosures()) {
            if (enclosure.getType() != null && enclosure.getType().startsWith("image/")) {
                image = absolute(enclosure.getUrl(), feedUrl);
                break;
            }
        }
        String author = renderer.boundedText(entry.getAuthor()).trim();
        author = author.isEmpty() ? null : Text.truncate(author, 200);
        String hash = Text.sha256Hex(title + "\n" + link + "\n" + summary + "\n" + body + "\n" + author);
        return Optional.of(new Item(Text.truncate(guid, 1000), hash, Text.truncate(title, 300), link, summary, body, author,
                published, image));
    }

    private static String html(SyndContent content) {
        if (content.getValue() == null) {
            return null;
        }
        String type = content.getType() == null ? "text/html" : content.getType();
        return type.contains("html") ? content.getValue() : "<p>" + Entities.escape(content.getValue()) + "</p>";
    }

    private static String absolute(String url, String base) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI resolved = URI.create(base).resolve(url.trim());
            String scheme = resolved.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && resolved.toString().length() <= 2000
                    ? resolved.toString()
                    : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    void recordSuccess(long sourceId, String title, FeedFetcher.Result fetched, int created, boolean parsed) {
        QuarkusTransaction.requiringNew().run(() -> {
        FeedSource source = FeedSource.findById(sourceId);
        Instant now = clock.instant();
        if (title != null && (source.title == null || !source.title.equals(title))) {
            source.title = title;
        }
        source.etag = fetched.etag() == null ? null : Text.truncate(fetched.etag(), 500);
        source.lastModified = fetched.lastModified() == null ? null : Text.truncate(fetched.lastModified(), 100);
        if (parsed) {
            source.baselineDone = true;
        }
        source.itemsImported += created;
        source.lastSuccessAt = now;
        source.lastError = null;
        source.consecutiveErrors = 0;
        source.nextPollAt = now.plusSeconds(source.pollIntervalSecs);
        source.updatedAt = now;
        });
    }

    void recordError(long sourceId, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
        FeedSource source = FeedSource.findById(sourceId);
        if (source == null) {
            return;
        }
        Instant now = clock.instant();
        source.lastError = Text.truncate(error, 1000);
        source.lastErrorAt = now;
        source.consecutiveErrors++;
        // Back off: the normal interval doubled per consecutive failure, at most a day.
        Duration wait = Duration.ofSeconds(source.pollIntervalSecs).multipliedBy(1L << Math.min(source.consecutiveErrors - 1, 10));
        source.nextPollAt = now.plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
        source.updatedAt = now;
        });
        Log.warnf("Feed source %d: %s", sourceId, error);
    }
}
