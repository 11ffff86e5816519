package dev.gazette.social.spi;

import java.util.List;

/**
 * One post, ready to send: the text already fits the network's limit and contains {@code link} exactly once
 * (unless the channel's template leaves the link out).
 *
 * @param text the plain text; connectors escape it as the network requires (Telegram HTML, LinkedIn little text)
 * @param link the tracked link in the text
 * @param title the article's (or digest issue's) title, for networks with a title field (webhooks, embeds)
 * @param summary the article's summary, or null
 * @param topics the article's topic names
 * @param card the link card
 * @param language BCP 47 language tag of the article, or null
 * @param idempotencyKey stable for one distribution across attempts; changes only on an explicit republish
 * @param kind {@code article} or {@code digest_announcement}, for webhook receivers
 */
public record Post(String text, String link, String title, String summary, List<String> topics, LinkCard card,
        String language, String idempotencyKey, String kind) {
}
