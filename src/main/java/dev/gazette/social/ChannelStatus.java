package dev.gazette.social;

/**
 * Whether a channel posts. PAUSED carries a time ({@code pausedUntil}): a network's rate limit sets it and it ends
 * by itself; NEEDS_REAUTH waits for an editor to give new credentials; DISABLED was chosen by an editor.
 */
public enum ChannelStatus {
    ACTIVE,
    NEEDS_REAUTH,
    PAUSED,
    DISABLED
}
