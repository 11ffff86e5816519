package dev.gazette.link;

/**
 * What readers did with a link over a period. Unique clicks are distinct visitors per UTC day (a visitor's hash
 * changes daily), so they add up across days. Subscribes and confirmations attributed to the link join here once the
 * subscriber feature records them.
 *
 * @param previews fetches by link unfurlers, crawlers and scripts
 * @param clicks clicks by people, at most one per visitor and de-duplication window
 */
public record LinkCounts(long previews, long clicks, long uniqueClicks) {

    public static final LinkCounts ZERO = new LinkCounts(0, 0, 0);

    public LinkCounts plus(LinkCounts other) {
        return new LinkCounts(previews + other.previews, clicks + other.clicks, uniqueClicks + other.uniqueClicks);
    }
}
