package dev.gazette.article;

/**
 * Fired inside the transaction of a merge, before the merged topic is removed: each feature that keeps its own list
 * of topics (readers, newsletters, channels) gives {@code intoId} to whatever had {@code fromId}, keeping one row where
 * both were present. Observe it synchronously ({@code @Observes}), so the move commits or rolls back with the merge.
 */
public record TopicMerging(long fromId, long intoId) {
}
