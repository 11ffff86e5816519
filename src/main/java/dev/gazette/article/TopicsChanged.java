package dev.gazette.article;

/**
 * Fired (inside the transaction) when a topic is created, renamed, merged or deleted: every public page lists the
 * topics in its subscribe form, so cached pages are stale.
 */
public record TopicsChanged() {
}
