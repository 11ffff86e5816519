package dev.gazette.article;

/**
 * Fired (inside the transaction) whenever what a public page shows about an article may have changed.
 */
public record ArticleChanged(long articleId, String slug) {
}
