package dev.gazette.social;

/**
 * PENDING → PUBLISHING → PUBLISHED | RETRY | FAILED | UNCONFIRMED. UNCONFIRMED means the network may have the post
 * (no answer after sending, or a crash while publishing): it is never repeated without an editor. CANCELLED was an
 * editor's choice.
 */
public enum DistributionStatus {
    PENDING,
    PUBLISHING,
    PUBLISHED,
    RETRY,
    FAILED,
    UNCONFIRMED,
    CANCELLED
}
