package dev.gazette.article.api;

import java.time.Instant;
import java.util.List;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.BodyFormat;
import dev.gazette.article.Topic;

/**
 * An article as the editor API shows it.
 *
 * @param url the public page of the article
 * @param canonicalUrl where search engines and previews are pointed: the origin of an imported article, else {@code url}
 */
public record ArticleView(long id, String slug, String title, String summary, BodyFormat bodyFormat, String body,
        String bodyHtml, String imageUrl, String imageAlt, String imageCaption, String imageCredit, String author,
        List<String> topics, String language, String url, String canonicalUrl, ArticleStatus status, Instant publishAt,
        Instant publishedAt, Instant unpublishedAt, Instant createdAt, Instant updatedAt, int version) {

    static ArticleView of(Article a, String baseUrl) {
        String url = baseUrl + "/articles/" + a.slug;
        return new ArticleView(a.id, a.slug, a.title, a.summary, a.bodyFormat, a.bodySource, a.bodyHtml, a.imageUrl,
                a.imageAlt, a.imageCaption, a.imageCredit, a.author, a.topics.stream().map(t -> t.slug).toList(),
                a.language, url, a.canonicalUrl != null ? a.canonicalUrl : url, a.status, a.publishAt, a.publishedAt,
                a.unpublishedAt, a.createdAt, a.updatedAt, a.version);
    }

    /** A topic as the editor API shows it. */
    public record TopicView(long id, String slug, String name, String description) {
        static TopicView of(Topic t) {
            return new TopicView(t.id, t.slug, t.name, t.description);
        }
    }
}
