package dev.gazette.social.connector.bluesky;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Network-wide Bluesky settings. The PDS itself is per channel ({@code ChannelAccess.baseUrl()}); these are the
 * defaults and the public web address used to link to posts.
 */
@ConfigMapping(prefix = "gazette.social.bluesky")
public interface BlueskyConfig {

    /** The PDS (Personal Data Server) a channel uses when it names none. */
    @WithDefault("https://bsky.social")
    String defaultPds();

    /** The web app that shows posts: public post URLs are {@code <web-url>/profile/<did>/post/<rkey>}. */
    @WithDefault("https://bsky.app")
    String webUrl();

    /** A cached access token expiring within this margin is refreshed before posting rather than after a refusal. */
    @WithDefault("2m")
    Duration refreshMargin();

    /** Largest card thumbnail the PDS accepts; larger lead images are re-encoded as smaller JPEGs. */
    @WithDefault("1000000")
    int maxThumbBytes();
}
