package dev.gazette.digest;

/**
 * SCHEDULED issues follow the newsletter's cadence in each reader's time zone; MANUAL ones were sent by an editor;
 * SPECIAL ones are special editions: chosen articles and a note, numbered on their own.
 */
public enum IssueKind {
    SCHEDULED,
    MANUAL,
    SPECIAL
}
