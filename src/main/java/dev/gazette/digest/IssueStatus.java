package dev.gazette.digest;

/**
 * Lifecycle of a digest issue. SENDING covers waiting for readers' local send times too.
 */
public enum IssueStatus {
    SENDING,
    PAUSED,
    CANCELLED,
    DONE
}
