package dev.gazette.social.connector.discord;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Network-wide settings of the Discord connector. Each channel's webhook URL is its credential.
 */
@ConfigMapping(prefix = "gazette.social.discord")
public interface DiscordConfig {

    /**
     * Discord API version put into every webhook URL. Webhook URLs as Discord shows them carry none, which means the
     * old default version whose rate-limit answers count milliseconds instead of seconds.
     */
    @WithDefault("10")
    int apiVersion();

    /**
     * The API base URLs a webhook URL must start with (followed by {@code /webhooks/<id>/<token>}); anything else is
     * refused, so a channel cannot make Gazette post elsewhere.
     */
    @WithDefault("https://discord.com/api,https://discordapp.com/api,https://ptb.discord.com/api,https://canary.discord.com/api")
    List<String> apiUrls();
}
