package dev.gazette.article;

/**
 * Fired when an article becomes public: published now, by the schedule, or again after being unpublished.
 * It is fired inside the publishing transaction; observers must use
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} so they act only once it is committed. Social
 * distribution and digests consume it; their own ledgers make a repeated event harmless.
 *
 * @param firstPublication false when an unpublished article is published again
 */
public record ArticlePublished(long articleId, String slug, boolean firstPublication) {
}
