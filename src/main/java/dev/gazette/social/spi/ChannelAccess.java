package dev.gazette.social.spi;

import java.util.Map;

/**
 * What a connector knows about one channel when it posts: where, as whom, with which decrypted credentials.
 *
 * @param baseUrl the instance (Mastodon) or PDS (Bluesky) URL without a trailing slash, or the connector's default
 * @param account the non-secret account identifier: a Facebook page id, a LinkedIn author URN, a Telegram chat id
 * @param credentials the decrypted credentials, by {@link CredentialField#name()}
 * @param maxCharacters an instance-specific text limit learnt by "verify" (Mastodon), or 0 for the network default
 */
public record ChannelAccess(long channelId, String baseUrl, String account, Map<String, String> credentials,
        SessionStore sessions, int maxCharacters) {

    public String credential(String name) {
        String value = credentials.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The channel has no " + name + " credential");
        }
        return value;
    }

    @Override
    public String toString() {
        return "ChannelAccess[channelId=" + channelId + ", baseUrl=" + baseUrl + ", account=" + account + "]";
    }
}
