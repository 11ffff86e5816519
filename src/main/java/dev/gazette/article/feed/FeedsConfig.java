package dev.gazette.article.feed;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Importing articles from other sites' RSS or Atom feeds.
 */
@ConfigMapping(prefix = "gazette.feeds")
public interface FeedsConfig {

    /** Whether feed URLs may point at loopback, private or link-local addresses. Off: no server-side requests into your network. */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** Largest feed document accepted, in bytes. */
    @WithDefault("10485760")
    long maxBytes();

    /** Time allowed to open a connection to a feed's server. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Time allowed for a whole fetch. */
    @WithDefault("30s")
    Duration requestTimeout();

    /** Redirects followed before giving up. */
    @WithDefault("5")
    int maxRedirects();

    /** How often the job looks for feeds that are due. */
    @WithDefault("60s")
    Duration pollJobInterval();

    /** Poll interval of a new feed when the editor gives none. */
    @WithDefault("30m")
    Duration defaultPollInterval();
}
