package dev.gazette.link;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Tracked links: the redirect's cache, the click queue and its writer, de-duplication, readers' activity.
 */
@ConfigMapping(prefix = "gazette.links")
public interface LinksConfig {

    /** Clicks and previews waiting in memory to be written. */
    @WithDefault("100000")
    int queueCapacity();

    /**
     * How long a redirect that finds the queue full waits for room before its click is dropped and counted: the
     * back-pressure that slows a client down to the pace the writer keeps, rather than losing its clicks.
     */
    @WithDefault("2s")
    Duration fullQueueWait();

    /** How often the background writer stores the queued clicks and previews. */
    @WithDefault("1s")
    Duration flushInterval();

    /** Most clicks and previews written by one SQL statement. */
    @WithDefault("5000")
    int batchSize();

    /** A visitor's clicks on a link within one window of this length (aligned to UTC) count once; 0 counts every click. */
    @WithDefault("1h")
    Duration dedupWindow();

    /** How many tracked links the redirect keeps in memory. */
    @WithDefault("100000")
    int cacheSize();

    /** How long an unknown code is remembered as unknown, so a flood of made-up codes does not reach the database. */
    @WithDefault("30s")
    Duration negativeCacheTtl();

    /**
     * A click this soon after the mail was sent is a link scanner's (they follow every link on delivery, often with a
     * browser's User-Agent): it redirects, but does not count as the reader's activity. Longer catches slower scanners
     * and also ignores the quickest real readers.
     */
    @WithDefault("30s")
    Duration scannerWindow();

    /** How long after the mail was sent a reader's token in its links still counts clicks as the reader's activity. */
    @WithDefault("365d")
    Duration readerTokenTtl();
}
