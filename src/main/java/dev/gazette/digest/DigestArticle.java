package dev.gazette.digest;

import java.time.Instant;

/**
 * An article as a digest shows it, with the link readers follow (tracked or with UTM parameters).
 */
public record DigestArticle(long id, String title, String summary, String url, String imageUrl, String imageAlt, String author,
        Instant publishedAt) {
}
