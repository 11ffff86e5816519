package dev.gazette.article;

/**
 * Lifecycle of an article: DRAFT → SCHEDULED → PUBLISHED → UNPUBLISHED (and back to PUBLISHED).
 */
public enum ArticleStatus {
    DRAFT,
    SCHEDULED,
    PUBLISHED,
    UNPUBLISHED
}
