package dev.gazette.social.connector.x;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * X (API v2): network-wide settings shared by every X channel.
 */
@ConfigMapping(prefix = "gazette.social.x")
public interface XConfig {

    /** Base URL of the X API, without a trailing slash; overridden in tests to point at a stub server. */
    @WithDefault("https://api.x.com")
    String apiUrl();
}
