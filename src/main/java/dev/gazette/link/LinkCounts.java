package dev.gazette.link;

/**
 * What readers did with a link over a period. Unique clicks are distinct visitors per UTC day (a visitor's hash
 * changes daily), so they add up across days.
 *
 * @param previews fetches by link unfurlers, crawlers and scripts
 * @param clicks clicks by people, at most one per visitor and de-duplication window
 * @param subscribes readers who subscribed from a page they reached through the link (by day of subscribing)
 * @param confirmations those of them who confirmed
 */
public record LinkCounts(long previews, long clicks, long uniqueClicks, long subscribes, long confirmations) {

    public static final LinkCounts ZERO = new LinkCounts(0, 0, 0, 0, 0);

    public LinkCounts plus(LinkCounts other) {
        return new LinkCounts(previews + other.previews, clicks + other.clicks, uniqueClicks + other.uniqueClicks,
                subscribes + other.subscribes, confirmations + other.confirmations);
    }

    LinkCounts withSubscribers(long subscribes, long confirmations) {
        return new LinkCounts(previews, clicks, uniqueClicks, subscribes, confirmations);
    }
}
