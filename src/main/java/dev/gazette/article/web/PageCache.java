package dev.gazette.article.web;

import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.function.Supplier;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.gazette.article.ArticleChanged;
import dev.gazette.article.ArticlesConfig;
import dev.gazette.article.TopicsChanged;
import dev.gazette.common.Text;

/**
 * Rendered public pages and feeds, kept in memory for a few seconds: when a post goes out, hundreds of preview
 * fetchers ask for the same page at once. A change on this instance clears it at once; other instances see it when
 * their entries expire ({@code gazette.articles.page-cache-ttl}).
 */
@Singleton
public class PageCache {

    /** A rendered response with its validators. */
    public record Entry(int status, String body, String etag, Instant lastModified) {
    }

    private static final CacheControl CACHE = CacheControl.valueOf("public, max-age=60");

    private final Cache<String, Entry> cache;

    PageCache(ArticlesConfig config) {
        cache = Caffeine.newBuilder().maximumSize(5_000).expireAfterWrite(config.pageCacheTtl()).build();
    }

    public Entry get(String key, Supplier<Entry> render) {
        return cache.get(key, k -> render.get());
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) ArticleChanged event) {
        // Lists, topic pages and feeds all show articles: clearing everything is simpler than tracking each.
        cache.invalidateAll();
    }

    void onTopics(@Observes(during = TransactionPhase.AFTER_SUCCESS) TopicsChanged event) {
        // Every page carries a subscribe form listing the topics.
        cache.invalidateAll();
    }

    void onResponses(@Observes(during = TransactionPhase.AFTER_SUCCESS) ArticleResponses.Changed event) {
        // only the article's own page shows them, in both its forms (the ActivityStreams one counts them)
        cache.invalidate("article:" + event.slug());
        cache.invalidate("article-activity:" + event.slug());
    }

    public void clear() {
        cache.invalidateAll();
    }

    /**
     * The response for a cached entry: 304 when the request's validators match, else the body with ETag,
     * Last-Modified and Cache-Control. Error pages carry no validators.
     *
     * @param variant extra text that changes the body per request (or empty); it changes the ETag too
     */
    public static Response respond(Entry entry, String variant, String body, Request request) {
        if (entry.status() != 200) {
            return Response.status(entry.status()).entity(body).build();
        }
        EntityTag tag = new EntityTag(variant.isEmpty() ? entry.etag() : entry.etag() + "-" + etag(variant).substring(0, 8));
        Date lastModified = entry.lastModified() == null ? null : Date.from(entry.lastModified());
        Response.ResponseBuilder notModified = lastModified == null ? request.evaluatePreconditions(tag)
                : request.evaluatePreconditions(lastModified, tag);
        Response.ResponseBuilder response = notModified != null ? notModified : Response.ok(body);
        response.tag(tag).cacheControl(CACHE);
        if (lastModified != null) {
            response.lastModified(lastModified);
        }
        return response.build();
    }

    public static Entry entry(int status, String body, Instant lastModified) {
        return new Entry(status, body, etag(body), lastModified);
    }

    static String etag(String body) {
        return HexFormat.of().formatHex(Text.sha256(body), 0, 12);
    }
}
