package dev.gazette.link;

/**
 * A tracked link with its counts over a report's period.
 */
public record LinkStats(TrackedLink link, LinkCounts counts) {
}
