package dev.gazette.social.connector.slack;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Network-wide settings of the Slack connector. Each channel's incoming-webhook URL is its credential.
 */
@ConfigMapping(prefix = "gazette.social.slack")
public interface SlackConfig {

    /**
     * What an incoming-webhook URL must start with (followed by {@code T…/B…/<secret>}); anything else is refused,
     * so a channel cannot make Gazette post elsewhere.
     */
    @WithDefault("https://hooks.slack.com/services/,https://hooks.slack-gov.com/services/")
    List<String> webhookUrlPrefixes();
}
