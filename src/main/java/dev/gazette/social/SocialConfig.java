package dev.gazette.social;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Posting to social networks: the publisher's pace, its retries, and the HTTP client connectors share.
 */
@ConfigMapping(prefix = "gazette.social")
public interface SocialConfig {

    /** Whether this instance publishes due distributions (the API and previews work either way). */
    @WithDefault("true")
    boolean publisherEnabled();

    /** How often the publisher looks for due distributions and recovers interrupted ones. */
    @WithDefault("15s")
    Duration pollInterval();

    /** Distributions claimed per round. */
    @WithDefault("20")
    int batchSize();

    /** Posts in flight at once per network (each channel posts one at a time). */
    @WithDefault("2")
    int concurrencyPerNetwork();

    /**
     * How long a claimed distribution may stay PUBLISHING before it counts as interrupted by a crash. Longer than
     * the request timeout, so a slow answer is not mistaken for a crash.
     */
    @WithDefault("2m")
    Duration lease();

    /** Attempts before a distribution that keeps failing with server errors is FAILED. */
    @WithDefault("6")
    int maxAttempts();

    /** First retry delay after a server error; it doubles per attempt, with jitter, up to {@link #maxBackoff()}. */
    @WithDefault("1m")
    Duration retryBackoff();

    /** Longest retry delay. */
    @WithDefault("1h")
    Duration maxBackoff();

    /** How far back a publisher round looks for published articles and sent digests that still lack their posts. */
    @WithDefault("24h")
    Duration catchUp();

    /** Time to establish a connection to a network. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Time to wait for a network's answer once the request is sent; after that the outcome is unknown. */
    @WithDefault("20s")
    Duration requestTimeout();

    /** Allow channel URLs (instances, webhooks) that resolve to loopback or private addresses. */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** The text template of channels that have none (Qute: {title}, {summary}, {link}, {hashtags}). */
    @WithDefault("{title}\n\n{summary}\n\n{link}\n\n{hashtags}")
    String defaultTemplate();
}
