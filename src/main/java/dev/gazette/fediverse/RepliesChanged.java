package dev.gazette.fediverse;

/** A reply was approved, rejected, changed or removed: what is shown under the article may differ. */
public record RepliesChanged(long articleId, String articleSlug) {
}
