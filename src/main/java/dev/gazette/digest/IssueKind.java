package dev.gazette.digest;

/**
 * SCHEDULED issues follow the newsletter's cadence in each reader's time zone; MANUAL ones were sent by an editor.
 */
public enum IssueKind {
    SCHEDULED,
    MANUAL
}
