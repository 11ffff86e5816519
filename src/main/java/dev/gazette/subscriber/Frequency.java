package dev.gazette.subscriber;

/**
 * How often a reader wants digests.
 */
public enum Frequency {
    DAILY,
    WEEKLY
}
