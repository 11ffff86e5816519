package dev.gazette.social.connector.facebook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Facebook Pages (Graph API): network-wide settings shared by every Facebook channel.
 */
@ConfigMapping(prefix = "gazette.social.facebook")
public interface FacebookConfig {

    /** Base URL of the Graph API, without a trailing slash; overridden in tests to point at a stub server. */
    @WithDefault("https://graph.facebook.com")
    String graphUrl();

    /**
     * Graph API version in the path, e.g. {@code v25.0} (released 18 Feb 2026, available until 29 Jul 2028 per
     * https://developers.facebook.com/docs/graph-api/changelog). Raise it before the version expires.
     */
    @WithDefault("v25.0")
    String apiVersion();
}
