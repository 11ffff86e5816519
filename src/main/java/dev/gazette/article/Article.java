package dev.gazette.article;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.gazette.common.BaseEntity;

/**
 * An article: what digests and social posts are made of. The body is kept as written and as sanitised HTML.
 */
@Entity
@Table(name = "article")
public class Article extends BaseEntity {

    @Column(nullable = false, unique = true, length = 200)
    public String slug;

    @Column(nullable = false, length = 300)
    public String title;

    @Column(length = 1000)
    public String summary;

    @Enumerated(EnumType.STRING)
    @Column(name = "body_format", nullable = false, length = 20)
    public BodyFormat bodyFormat;

    @Column(name = "body_source", nullable = false, columnDefinition = "text")
    public String bodySource;

    /** Rendered and sanitised: the only article content ever emitted without escaping. */
    @Column(name = "body_html", nullable = false, columnDefinition = "text")
    public String bodyHtml;

    @Column(name = "image_url", length = 2000)
    public String imageUrl;

    @Column(name = "image_alt", length = 500)
    public String imageAlt;

    @Column(name = "image_caption", length = 1000)
    public String imageCaption;

    @Column(name = "image_credit", length = 500)
    public String imageCredit;

    @Column(length = 200)
    public String author;

    @Column(nullable = false, length = 20)
    public String language;

    /** Set for imported articles (their origin); own articles use their page on this site. */
    @Column(name = "canonical_url", length = 2000)
    public String canonicalUrl;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public ArticleStatus status;

    @Column(name = "publish_at")
    public Instant publishAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "unpublished_at")
    public Instant unpublishedAt;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "article_topic", joinColumns = @JoinColumn(name = "article_id"),
            inverseJoinColumns = @JoinColumn(name = "topic_id"))
    @OrderBy("name")
    public Set<Topic> topics = new LinkedHashSet<>();

    @Column(name = "feed_source_id")
    public Long feedSourceId;

    @Column(name = "feed_guid", length = 1000)
    public String feedGuid;

    @Column(name = "feed_hash", length = 64)
    public String feedHash;

    @Version
    @Column(nullable = false)
    public int version;

    public boolean isPublished() {
        return status == ArticleStatus.PUBLISHED;
    }

    public static Optional<Article> findBySlugWithTopics(String slug) {
        return find("from Article a left join fetch a.topics where a.slug = ?1", slug).singleResultOptional();
    }

    public static Optional<Article> findByIdWithTopics(long id) {
        return find("from Article a left join fetch a.topics where a.id = ?1", id).singleResultOptional();
    }

    public static Optional<Article> findByFeedGuid(long sourceId, String guid) {
        return find("feedSourceId = ?1 and feedGuid = ?2", sourceId, guid).firstResultOptional();
    }

    public static boolean slugExists(String slug) {
        return count("slug", slug) > 0;
    }

    /** Published articles, newest first, with their topics. */
    public static List<Article> latestPublished(int limit) {
        List<Long> ids = find("select a.id from Article a where a.status = ?1 order by a.publishedAt desc, a.id desc",
                ArticleStatus.PUBLISHED).project(Long.class).page(0, limit).list();
        return withTopics(ids);
    }

    /** Loads articles with their topics, in the order of the ids given. */
    public static List<Article> withTopics(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Article> found = new HashMap<>();
        for (Article a : Article.<Article> list("select distinct a from Article a left join fetch a.topics where a.id in ?1", ids)) {
            found.put(a.id, a);
        }
        return ids.stream().map(found::get).toList();
    }
}
