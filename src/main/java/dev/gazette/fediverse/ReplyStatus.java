package dev.gazette.fediverse;

/** Where a reply from the fediverse stands in moderation: only an approved reply is public. */
public enum ReplyStatus {
    PENDING, APPROVED, REJECTED
}
