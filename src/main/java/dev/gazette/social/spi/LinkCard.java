package dev.gazette.social.spi;

/**
 * The preview card of a post: what the network shows under the text. Networks that build it themselves (Mastodon,
 * X, Facebook, Telegram, Slack, Discord) read the same values from the article page's Open Graph tags; Bluesky and
 * LinkedIn receive it in the request.
 *
 * @param url the link the card points to (the tracked link)
 * @param imageUrl absolute URL of the lead image, or null
 */
public record LinkCard(String url, String title, String description, String imageUrl, String imageAlt) {
}
