package dev.gazette.article.feed;

/**
 * What an imported item becomes.
 */
public enum ImportMode {
    PUBLISHED,
    DRAFT
}
