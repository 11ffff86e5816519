package dev.gazette.social.connector.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Network-wide settings of the generic webhook connector. Each channel gives the receiver URL and a signing secret.
 */
@ConfigMapping(prefix = "gazette.social.webhook")
public interface WebhookConfig {

    /** Longest {@code text} sent to receivers, in user-perceived characters (graphemes); receivers set no limit. */
    @WithDefault("10000")
    int maxGraphemes();
}
