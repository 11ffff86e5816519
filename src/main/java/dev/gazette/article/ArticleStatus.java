package dev.gazette.article;

/**
 * Lifecycle of an article: DRAFT → SCHEDULED → PUBLISHED → UNPUBLISHED (and back to PUBLISHED). A withdrawn article
 * may also be scheduled again, and a scheduled one unscheduled into a DRAFT: a draft may have been public once.
 */
public enum ArticleStatus {
    DRAFT,
    SCHEDULED,
    PUBLISHED,
    UNPUBLISHED
}
