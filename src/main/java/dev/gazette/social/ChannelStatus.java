package dev.gazette.social;

/**
 * Whether a channel posts. PAUSED carries a time ({@code pausedUntil}): a network's rate limit sets it and it ends
 * by itself; NEEDS_REAUTH waits for an editor to give new credentials; UNVERIFIED was saved from the editor but the
 * network did not answer the check of its credentials, and waits for a check that succeeds; DISABLED was chosen by an
 * editor. Only ACTIVE channels (and PAUSED ones whose pause is over) post; the others' posts wait.
 */
public enum ChannelStatus {
    ACTIVE,
    UNVERIFIED,
    NEEDS_REAUTH,
    PAUSED,
    DISABLED
}
