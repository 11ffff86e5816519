package dev.gazette.social.connector.telegram;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Network-wide settings of the Telegram connector. The bot token and chat id belong to each channel.
 */
@ConfigMapping(prefix = "gazette.social.telegram")
public interface TelegramConfig {

    /** Base URL of the Bot API, without a trailing slash; change it only for a self-hosted Bot API server or tests. */
    @WithDefault("https://api.telegram.org")
    String apiUrl();
}
